import http from "node:http";
import { expect } from "chai";
import { createLogger } from "../../src/core/logger";
import type { CallbackAnswer, CallbackRequest, ChargeRequest, ParsedCallback, PaymentGateway } from "../../src/modules/payments/gateways/payment-gateway";
import { SandboxServer, type Simulator } from "../../src/sandbox/sandbox-server";

/** One simulator on its own random port, as the store would reach it. */
export async function startSimulator<S extends Simulator>(simulator: S): Promise<{ url: string; simulator: S; stop: () => Promise<void> }> {
  const server = new SandboxServer([simulator], createLogger({ level: "error", format: "json", silent: true }));
  const port = await server.start(0);
  return { url: `http://127.0.0.1:${port}`, simulator, stop: () => server.stop() };
}

export interface ReceivedCallback {
  request: CallbackRequest;
  parsed: ParsedCallback;
  answer: CallbackAnswer;
}

/**
 * A tiny store-side webhook: reads the raw bytes, asks the adapter to verify
 * them and answers what the adapter says (or a forced HTTP status, to drive
 * the provider's retry policy).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** When set, answer this HTTP status instead of the adapter's answer. */
  forceStatus: number | null = null;
  private readonly server: http.Server;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly gateway: PaymentGateway) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request: CallbackRequest = { subPath: "", headers: req.headers, rawBody: Buffer.concat(chunks), ip: req.socket.remoteAddress ?? "" };
        const parsed = this.gateway.parseCallback(request);
        const answer = this.gateway.answer(parsed.verified ? "accepted" : "rejected");
        this.received.push({ request, parsed, answer });
        res.writeHead(this.forceStatus ?? answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
        this.waiters = this.waiters.filter((waiter) => (this.received.length >= waiter.count ? void waiter.resolve() : true));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/webhooks`;
  }

  /** Resolves once `count` callbacks have arrived in total (fails the test after `ms`). */
  waitFor(count: number, ms = 5000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} callbacks arrived`)), ms);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  clear(): void {
    this.received.length = 0;
    this.forceStatus = null;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** POSTs a simulator control endpoint (/__sim/...). */
export async function simControl(url: string, body: unknown = {}): Promise<any> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (for background retries); fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await pause(20);
  }
}

/** The simulator's delivery log (GET /__sim/callbacks). */
export async function simCallbacks(sim: string): Promise<{ url: string; body: string; accepted: boolean; attempts: { status: number | null }[] }[]> {
  return (await fetch(`${sim}/callbacks`)).json() as Promise<any>;
}

/**
 * Mocha hooks for an adapter-against-simulator suite: the simulator on a random
 * port, the adapter pointed at it, a callback receiver; every test starts from a
 * reset simulator with `config` applied and an empty receiver.
 */
export function gatewaySandbox<S extends Simulator, A extends PaymentGateway>(options: {
  simulator: () => S;
  adapter: (sandboxUrl: string) => A;
  config: Record<string, unknown>;
}) {
  const suite = {} as { url: string; sim: string; simulator: S; adapter: A; receiver: CallbackReceiver; callbackUrl: string; stop: () => Promise<void> };
  before(async () => {
    const started = await startSimulator(options.simulator());
    Object.assign(suite, started, { sim: `${started.url}/${started.simulator.name}/__sim`, adapter: options.adapter(started.url) });
    suite.receiver = new CallbackReceiver(suite.adapter);
    suite.callbackUrl = await suite.receiver.start();
  });
  beforeEach(async () => {
    await simControl(`${suite.sim}/reset`);
    await simControl(`${suite.sim}/config`, options.config);
    suite.receiver.clear();
  });
  after(async () => {
    await suite.receiver.stop();
    await suite.stop();
  });
  return suite;
}

let chargeSequence = 0;

/** A charge for 86 Diamonds at Rp 150.000, due in an hour, with a fresh reference. */
export function chargeRequest(callbackUrl: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    reference: `ORD-${Date.now()}-${++chargeSequence}`,
    amount: 150_000,
    channel: "",
    customer: { name: "Budi Santoso Wijayakusuma", email: "budi@example.test", phone: "081200000000" },
    items: [{ sku: "ML86", name: "86 Diamonds", price: 150_000, quantity: 1 }],
    expiresAt: new Date(Date.now() + 3600_000),
    callbackUrl,
    ...overrides,
  };
}

export async function expectRejection(promise: Promise<unknown>, type: new (...args: any[]) => Error, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a ${type.name} matching ${message}`);
}
