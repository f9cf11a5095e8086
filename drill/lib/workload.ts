import WebSocket from "ws";
import { createClient, type Client } from "graphql-ws";
import { ulid } from "ulid";

/**
 * What the drills do to a store, the way its clients do it: GraphQL over
 * HTTP, subscriptions over graphql-ws. Nothing here reaches into the store's
 * process; set-up that has no public API reads or writes through the drill's
 * own database connection (see store.ts).
 */

export interface GqlError {
  message: string;
  extensions?: Record<string, any>;
}

export interface GqlResponse<T = Record<string, any>> {
  /** HTTP status; 0 when no answer came (refused, reset, timed out) */
  status: number;
  data?: T | null;
  errors?: GqlError[];
  /** set when no GraphQL answer came (network error, timeout, unreadable body) */
  networkError?: string;
}

/** The first error code of a response; NETWORK when no answer came. */
export function codeOf(response: GqlResponse): string | undefined {
  if (response.networkError) return "NETWORK";
  return response.errors?.[0]?.extensions?.code as string | undefined;
}

/** POSTs one operation; never throws (a network failure comes back as networkError). */
export async function gql<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string, timeoutMs = 30_000): Promise<GqlResponse<T>> {
  let response: Response;
  try {
    response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, networkError: cause ?? (error as Error).name ?? String(error) };
  }
  const text = await response.text().catch(() => "");
  try {
    return { status: response.status, ...(JSON.parse(text) as Omit<GqlResponse<T>, "status">) };
  } catch {
    return { status: response.status, networkError: `unreadable answer (${response.status}): ${text.slice(0, 120)}` };
  }
}

/** Like gql, but throws on any error: for set-up steps that must work. */
export async function must<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await gql<T>(url, query, variables, token);
  if (response.networkError || response.errors || !response.data) {
    throw new Error(`GraphQL call failed: ${response.networkError ?? JSON.stringify(response.errors)} for ${query.slice(0, 80)}`);
  }
  return response.data;
}

export const DEMO_PASSWORD = "demo12345";
export const PASSWORD = "drill-rahasia-123";

export interface Account {
  id: string;
  email: string;
  token: string;
}

export async function login(url: string, email: string, password: string): Promise<Account> {
  const data = await must(url, `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken account { id } } }`, { email, password });
  return { id: data.login.account.id, email, token: data.login.accessToken };
}

export async function register(url: string, tag: string): Promise<Account> {
  const email = `${tag}.${ulid().toLowerCase()}@drill.test`;
  const data = await must(url, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken account { id } } }`, {
    input: { name: `Drill ${tag}`, email, password: PASSWORD },
  });
  return { id: data.register.account.id, email, token: data.register.accessToken };
}

/** Admin: moves a member's wallet by `amount` (an audited ADJUSTMENT). */
export async function adjustWallet(url: string, admin: Account, userId: string, amount: number): Promise<void> {
  await must(url, `mutation ($u: ID!, $a: SafeInt!) { adjustWalletBalance(userId: $u, amount: $a, reason: "drill set-up") { balanceAfter } }`, { u: userId, a: amount }, admin.token);
}

export const CHECKOUT = `mutation ($input: CheckoutInputType!) { checkout(input: $input) {
  trackingToken alreadyPaid paymentError
  order { id invoiceNumber status total }
  payment { reference amountToPay }
} }`;

export interface CheckoutRequest {
  variantId: string;
  inputs?: Record<string, string>;
  paymentMethod: string;
  /** member or reseller credential; a guest gets a contact instead */
  token?: string;
  voucherCode?: string;
  idempotencyKey?: string;
  quantity?: number;
}

export interface Placed {
  orderId: string;
  invoiceNumber: string;
  trackingToken: string;
  total: number;
  status: string;
  alreadyPaid: boolean;
  idempotencyKey: string;
  /** set when the order was made but its payment could not be started (retry with the same key) */
  paymentError: string | null;
  /** the open payment's reference (null when paid by wallet or not started) */
  paymentReference: string | null;
}

export function checkoutInput(request: CheckoutRequest, idempotencyKey: string) {
  return {
    items: [{ variantId: request.variantId, quantity: request.quantity ?? 1, inputs: request.inputs ?? {} }],
    ...(request.token ? {} : { contact: { name: "Drill Buyer", email: `buyer.${idempotencyKey.toLowerCase()}@drill.test` } }),
    paymentMethod: request.paymentMethod,
    ...(request.voucherCode ? { voucherCode: request.voucherCode } : {}),
    idempotencyKey,
  };
}

/** One checkout; the raw answer (callers decide what an error means). */
export async function checkout(url: string, request: CheckoutRequest, timeoutMs = 30_000): Promise<{ response: GqlResponse; placed?: Placed; idempotencyKey: string }> {
  const idempotencyKey = request.idempotencyKey ?? ulid();
  const response = await gql(url, CHECKOUT, { input: checkoutInput(request, idempotencyKey) }, request.token, timeoutMs);
  const result = response.data?.checkout;
  if (!result) return { response, idempotencyKey };
  return {
    response,
    idempotencyKey,
    placed: {
      orderId: result.order.id,
      invoiceNumber: result.order.invoiceNumber,
      trackingToken: result.trackingToken,
      total: result.order.total,
      status: result.order.status,
      alreadyPaid: result.alreadyPaid,
      idempotencyKey,
      paymentError: result.paymentError ?? null,
      paymentReference: result.payment?.reference ?? null,
    },
  };
}

/** A checkout that must succeed (set-up of a drill's in-flight orders). */
export async function place(url: string, request: CheckoutRequest): Promise<Placed> {
  const { response, placed } = await checkout(url, request);
  if (!placed || response.errors) throw new Error(`checkout failed: ${response.networkError ?? JSON.stringify(response.errors)}`);
  if (placed.paymentError) throw new Error(`checkout made order ${placed.orderId} but not its payment: ${placed.paymentError}`);
  return placed;
}

/** Sandbox: the gateway simulator pays the order's open payment (and sends its callback). */
export async function simulatePayment(url: string, orderId: string, timeoutMs = 30_000): Promise<GqlResponse> {
  return gql(url, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference status } }`, { id: orderId }, undefined, timeoutMs);
}

/** Runs `task` over `items` with at most `parallel` at once; results in input order. */
export async function pool<T, R>(items: T[], parallel: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something truthy or `ms` pass (then returns null). */
export async function waitUntil<T>(check: () => Promise<T | null | undefined | false>, ms: number, everyMs = 250): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) return null;
    await sleep(everyMs);
  }
}

// --- live order status (graphql-ws) ------------------------------------------------------

export interface StatusEvent {
  status: string;
  sn: string | null;
  at: number;
}

/**
 * Follows orders by tracking token over one graphql-ws connection and keeps
 * every update each one delivered. `resubscribe()` opens a fresh connection
 * (what a client does after its socket dropped): the first event of each new
 * subscription is the order's current state.
 */
export class Tracker {
  private client: Client;
  readonly events = new Map<string, StatusEvent[]>();
  readonly errors: string[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly url: string) {
    this.client = this.connect();
  }

  private connect(): Client {
    return createClient({ url: `${this.url.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  }

  follow(orderId: string, trackingToken: string): void {
    this.tokens.set(orderId, trackingToken);
    if (!this.events.has(orderId)) this.events.set(orderId, []);
    const dispose = this.client.subscribe<{ orderTracking: { status: string; sn: string | null } }>(
      { query: `subscription ($t: String!) { orderTracking(trackingToken: $t) { status sn } }`, variables: { t: trackingToken } },
      {
        next: ({ data, errors }) => {
          if (errors) this.errors.push(`${orderId}: ${JSON.stringify(errors)}`);
          if (data?.orderTracking) this.events.get(orderId)!.push({ status: data.orderTracking.status, sn: data.orderTracking.sn, at: Date.now() });
        },
        error: (error) => this.errors.push(`${orderId}: ${error instanceof Error ? error.message : JSON.stringify(error)}`),
        complete: () => undefined,
      },
    );
    this.disposers.push(dispose);
  }

  /** The last status each order's subscription delivered. */
  last(orderId: string): string | undefined {
    return this.events.get(orderId)?.at(-1)?.status;
  }

  /** Drops the connection and follows every order again on a new one; returns the marker index per order. */
  async resubscribe(): Promise<Map<string, number>> {
    const marks = new Map<string, number>();
    for (const dispose of this.disposers.splice(0)) dispose();
    await this.client.dispose();
    this.client = this.connect();
    for (const [orderId, token] of this.tokens) {
      marks.set(orderId, this.events.get(orderId)!.length);
      this.follow(orderId, token);
    }
    return marks;
  }

  /** Waits, at most `ms`, until every order followed again has delivered something after its mark (its current state). */
  async caughtUp(marks: Map<string, number>, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && [...marks].some(([orderId, mark]) => this.events.get(orderId)!.length <= mark)) await sleep(100);
  }

  async close(): Promise<void> {
    for (const dispose of this.disposers.splice(0)) dispose();
    await this.client.dispose();
  }
}

/** A status sequence never moves backwards: the order's life only goes forward. */
const RANK: Record<string, number> = {
  PENDING_PAYMENT: 0,
  WAITING_VERIFICATION: 1,
  PAID: 2,
  PROCESSING: 3,
  SHIPPED: 4,
  SUCCESS: 5,
  COMPLETED: 6,
  FAILED: 5,
  REFUNDED: 6,
  EXPIRED: 5,
  CANCELLED: 5,
};

/** The first backward step in a sequence of statuses, or null. */
export function backwardStep(statuses: string[]): string | null {
  for (let i = 1; i < statuses.length; i++) {
    if ((RANK[statuses[i]] ?? 0) < (RANK[statuses[i - 1]] ?? 0)) return `${statuses[i - 1]} → ${statuses[i]}`;
  }
  return null;
}

/** A member's wallet top-up order through a gateway (credited when PAID). */
export async function topUp(url: string, member: Account, amount: number, paymentMethod: string): Promise<Placed> {
  const idempotencyKey = ulid();
  const data = await must(
    url,
    `mutation ($a: SafeInt!, $m: String!, $k: String!) { topUpWallet(amount: $a, paymentMethod: $m, idempotencyKey: $k) { trackingToken alreadyPaid order { id invoiceNumber status total } } }`,
    { a: amount, m: paymentMethod, k: idempotencyKey },
    member.token,
  );
  const result = data.topUpWallet;
  return { orderId: result.order.id, invoiceNumber: result.order.invoiceNumber, trackingToken: result.trackingToken, total: result.order.total, status: result.order.status, alreadyPaid: result.alreadyPaid, idempotencyKey, paymentError: null, paymentReference: null };
}
