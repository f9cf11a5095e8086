import WebSocket from "ws";
import { createClient, type Client } from "graphql-ws";

/** One update as a follower received it, with both clocks: wall (vs. other processes) and monotonic (within this one). */
export interface ReceivedUpdate {
  orderId: string;
  status: string;
  sn: string | null;
  wallMs: number;
  monoMs: number;
}

const TRACKING = `subscription ($t: String!) { orderTracking(trackingToken: $t) { orderId status sn } }`;

/**
 * A guest following one order on a graphql-ws socket of its own, as a
 * storefront tab does (tests/fulfillment/order-flow.test.ts subscribes the
 * same way). `open` resolves once the order's current state has arrived, so
 * every later update is a push and not the initial read.
 */
export class Follower {
  readonly updates: ReceivedUpdate[] = [];
  errors = 0;
  private waiters: { status: string; resolve: (update: ReceivedUpdate) => void }[] = [];

  private constructor(
    readonly orderId: string,
    private readonly client: Client,
  ) {}

  static open(url: string, orderId: string, trackingToken: string, timeoutMs = 30_000): Promise<Follower> {
    const client = createClient({ url: `${url.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const follower = new Follower(orderId, client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no current state for order ${orderId} within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: unknown) => {
        follower.errors += 1;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      };
      client.subscribe<{ orderTracking: { orderId: string; status: string; sn: string | null } }>(
        { query: TRACKING, variables: { t: trackingToken } },
        {
          next: ({ data, errors }) => {
            if (errors || !data) return fail(errors);
            const update = { ...data.orderTracking, wallMs: Date.now(), monoMs: performance.now() };
            follower.updates.push(update);
            if (follower.updates.length === 1) {
              clearTimeout(timer);
              resolve(follower);
            }
            for (const waiter of follower.waiters) if (waiter.status === update.status) waiter.resolve(update);
            follower.waiters = follower.waiters.filter((waiter) => waiter.status !== update.status);
          },
          error: fail,
          complete: () => undefined,
        },
      );
    });
  }

  /** The first update in `status` (already received or still to come). */
  until(status: string): Promise<ReceivedUpdate> {
    const seen = this.updates.find((update) => update.status === status);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ status, resolve }));
  }

  /** The first update in `status`, if it arrived. */
  received(status: string): ReceivedUpdate | undefined {
    return this.updates.find((update) => update.status === status);
  }

  close(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

/** Runs `task` for 0..count-1, `parallel` at a time. */
export async function inLanes(count: number, parallel: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}

/** Resolves `promise`, or null after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]).finally(() => clearTimeout(timer));
}
