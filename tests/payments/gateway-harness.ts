import http from "node:http";
import { expect } from "chai";
import { createLogger } from "../../src/core/logger";
import { HttpTimeoutError } from "../../src/core/http-client";
import type { CallbackAnswer, CallbackRequest, ChargeRequest, ParsedCallback, PaymentGateway } from "../../src/modules/payments/gateways/payment-gateway";
import { SandboxServer, type Simulator } from "../../src/sandbox/sandbox-server";
import { sleep, type CallbackDeliveryLog } from "../../src/sandbox/sim-kit";

/**
 * Real-HTTP harness for the payment gateway adapters: one provider simulator on
 * a random port, as the store would reach it, and a callback receiver standing
 * in for the store's POST /webhooks/<gateway> route (the adapter verifies the
 * raw bytes with parseCallback and the receiver answers what adapter.answer says).
 */

export interface HostedSimulator<S extends Simulator> {
  /** The sandbox root, like the store's SANDBOX_URL (what loadXxxConfig and the sandbox payers take). */
  sandboxUrl: string;
  /** `${sandboxUrl}/<name>`: the provider's paths, and the control endpoints under /__sim. */
  simUrl: string;
  simulator: S;
  stop(): Promise<void>;
}

export async function hostSimulator<S extends Simulator>(simulator: S): Promise<HostedSimulator<S>> {
  const server = new SandboxServer([simulator], createLogger({ level: "error", format: "json", silent: true }));
  const sandboxUrl = `http://127.0.0.1:${await server.start(0)}`;
  return { sandboxUrl, simUrl: `${sandboxUrl}/${simulator.name}`, simulator, stop: () => server.stop() };
}

export interface ReceivedCallback {
  /** What the adapter was handed: subPath, headers, the raw bytes, the peer address. */
  request: CallbackRequest;
  parsed: ParsedCallback;
  /** What the receiver answered: the adapter's answer, with `override` laid over it. */
  answer: CallbackAnswer;
}

/**
 * The store-side webhook. Its `url` stands for /webhooks/<gateway>: whatever a
 * simulator appends to it is the subPath (e.g. "/invoice" for Xendit).
 */
export class CallbackReceiver {
  url = "";
  readonly received: ReceivedCallback[] = [];
  /** Laid over the adapter's answer (a status alone, or a whole answer) to drive the provider's retries. */
  override: Partial<CallbackAnswer> | undefined;
  private readonly server: http.Server;

  constructor(private readonly gateway: PaymentGateway) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const pathname = new URL(req.url ?? "/", "http://x").pathname;
        const request: CallbackRequest = {
          subPath: pathname === "/" ? "" : pathname,
          headers: req.headers,
          rawBody: Buffer.concat(chunks),
          ip: req.socket.remoteAddress ?? "",
        };
        const parsed = this.gateway.parseCallback(request);
        const answer = { ...this.gateway.answer(parsed.verified ? "accepted" : "rejected"), ...this.override };
        this.received.push({ request, parsed, answer });
        res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  /** Resolves with every callback so far once `count` have arrived in total (fails the test after `ms`). */
  async waitFor(count: number, ms = 5000): Promise<ReceivedCallback[]> {
    await eventually(() => this.received.length >= count, ms, () => `only ${this.received.length} of ${count} callbacks arrived`);
    return this.received;
  }

  clear(): void {
    this.received.length = 0;
    this.override = undefined;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function startReceiver(gateway: PaymentGateway): Promise<CallbackReceiver> {
  return new CallbackReceiver(gateway).start();
}

/** Polls until `check` holds (callbacks, background retries); fails the test after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, failure = () => "condition not reached"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${failure()} within ${ms} ms`);
    await sleep(20);
  }
}

/** POSTs a simulator control endpoint (`${simUrl}/__sim${path}`) and returns its JSON; any other answer than 200 throws. */
export async function simControl<T = unknown>(simUrl: string, path: string, body: unknown = {}): Promise<T> {
  const url = `${simUrl}/__sim${path}`;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** GETs a simulator control endpoint (`${simUrl}/__sim${path}`), e.g. "/orders" or "/invoices". */
export async function simGet<T>(simUrl: string, path: string): Promise<T> {
  const url = `${simUrl}/__sim${path}`;
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The simulator's callback delivery log, oldest first. */
export function simCallbacks(simUrl: string): Promise<CallbackDeliveryLog[]> {
  return simGet<CallbackDeliveryLog[]>(simUrl, "/callbacks");
}

export interface GatewaySandbox<S extends Simulator, A extends PaymentGateway> extends HostedSimulator<S> {
  adapter: A;
  receiver: CallbackReceiver;
}

/**
 * Mocha hooks for an adapter-against-simulator suite: the simulator on a random
 * port, the adapter pointed at it, a callback receiver; every test starts from a
 * reset simulator with `config` applied and an empty receiver. The returned
 * object is filled in by the `before` hook.
 */
export function gatewaySandbox<S extends Simulator, A extends PaymentGateway>(options: {
  /** `receiverUrl` is for simulators that post to one configured URL rather than the charge's callbackUrl. */
  simulator: (receiverUrl: () => string) => S;
  adapter: (hosted: HostedSimulator<S>) => A;
  config: Record<string, unknown>;
}): GatewaySandbox<S, A> {
  const suite = {} as GatewaySandbox<S, A>;
  before(async () => {
    const hosted = await hostSimulator(options.simulator(() => suite.receiver.url));
    const adapter = options.adapter(hosted);
    Object.assign(suite, hosted, { adapter, receiver: await startReceiver(adapter) });
  });
  beforeEach(async () => {
    await simControl(suite.simUrl, "/reset");
    await simControl(suite.simUrl, "/config", options.config);
    suite.receiver.clear();
  });
  after(async () => {
    await suite.receiver?.stop();
    await suite.stop?.();
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

/**
 * Each simulator fault on `endpoint` makes `call` throw a clear error (matching
 * the pattern), and a simulator that never answers makes it throw HttpTimeoutError.
 */
export function itThrowsOnFaults(simUrl: () => string, endpoint: string, call: () => Promise<unknown>, cases: [string, RegExp][]): void {
  const inject = (fault: string) => simControl(simUrl(), "/faults", { endpoints: { [endpoint]: { [fault]: true } } });
  for (const [fault, pattern] of cases) {
    it(`a simulator fault (${fault}) makes the adapter throw a clear error`, async () => {
      await inject(fault);
      await expectRejection(call(), Error, pattern);
    });
  }
  it("a simulator that never answers makes the adapter throw HttpTimeoutError", async () => {
    await inject("timeout");
    await expectRejection(call(), HttpTimeoutError, /./);
  });
}
