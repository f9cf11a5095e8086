import http from "node:http";
import { expect } from "chai";
import { createLogger } from "../../src/core/logger";
import { HttpTimeoutError, postJson } from "../../src/core/http-client";
import type { CallbackAnswer, ParsedCallback, PaymentGateway } from "../../src/modules/payments/gateways/payment-gateway";
import { SandboxServer, type Simulator } from "../../src/sandbox/sandbox-server";
import { sleep } from "../../src/sandbox/sim-kit";

/**
 * Real-HTTP helpers for gateway tests: a sandbox server hosting one simulator,
 * and a tiny webhook receiver that hands the raw bytes to adapter.parseCallback
 * and answers adapter.answer(...), like the store's webhook route does.
 */
export async function hostSimulator(simulator: Simulator): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new SandboxServer([simulator], createLogger({ level: "error", format: "json", silent: true }));
  const port = await server.start(0);
  return { url: `http://127.0.0.1:${port}/${simulator.name}`, stop: () => server.stop() };
}

export interface ReceivedCallback {
  subPath: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  parsed: ParsedCallback;
  answer: CallbackAnswer;
}

export interface Receiver {
  url: string;
  received: ReceivedCallback[];
  /** replaces the adapter's answer (to make the simulator retry) */
  override?: CallbackAnswer;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  stop(): Promise<void>;
}

export async function startReceiver(gateway: PaymentGateway): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    received: [],
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} callbacks, got ${receiver.received.length}`);
        await sleep(20);
      }
      return receiver.received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const subPath = new URL(req.url ?? "/", "http://x").pathname;
      const parsed = gateway.parseCallback({ subPath, headers: req.headers, rawBody, ip: req.socket.remoteAddress ?? "" });
      const answer = receiver.override ?? gateway.answer(parsed.verified ? "accepted" : "rejected");
      receiver.received.push({ subPath, headers: req.headers, raw: rawBody.toString("utf8"), parsed, answer });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return receiver;
}

/** Calls a simulator control endpoint (/__sim/...) and returns its JSON. */
export async function simControl(simUrl: string, path: string, body: unknown = {}): Promise<{ status: number; json: unknown }> {
  const answer = await postJson(`${simUrl}/__sim${path}`, body);
  return { status: answer.status, json: answer.json };
}

export async function simGet<T>(simUrl: string, path: string): Promise<T> {
  const response = await fetch(`${simUrl}/__sim${path}`);
  return (await response.json()) as T;
}

/**
 * Each simulator fault on `endpoint` makes `call` throw a clear error (matching
 * the pattern), and a simulator that never answers makes it throw HttpTimeoutError.
 */
export function itThrowsOnFaults(simUrl: () => string, endpoint: string, call: () => Promise<unknown>, cases: [string, RegExp][]): void {
  const failure = async (fault: string) => {
    await simControl(simUrl(), "/faults", { endpoints: { [endpoint]: { [fault]: true } } });
    return call().then(
      () => undefined,
      (error: unknown) => error,
    );
  };
  for (const [fault, pattern] of cases) {
    it(`a simulator fault (${fault}) makes the adapter throw a clear error`, async () => {
      expect(String(await failure(fault))).to.match(pattern);
    });
  }
  it("a simulator that never answers makes the adapter throw HttpTimeoutError", async () => {
    expect(await failure("timeout")).to.be.instanceOf(HttpTimeoutError);
  });
}
