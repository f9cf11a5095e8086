import { ORDER_FEED, ORDER_UPDATED, type OrderEvent } from "../../src/modules/ordering/order-events";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { verdict, type Scenario } from "../lib/bench";
import { Follower, inLanes } from "../lib/follower";
import { placeOrders, type PlacedOrder } from "../lib/orders";
import { sleep } from "../lib/processes";
import { summarise } from "../lib/stats";
import type { BenchStore } from "../lib/store";

const SOCKETS = 2000;
const WARMUP_SOCKETS = 100;
/** sockets opened at once: a burst of thousands of handshakes would overflow the listen backlog, which is not what is measured */
const OPENING = 50;
const PER_SOCKET_KB = 60;
const SINGLE_UPDATES = 400;
const SINGLE_RATE = 100;
const SINGLE_P99_MS = 20;
const FAN_OUT_MS = 500;
const SETTLE_MS = 2000;

/**
 * 2,000 graphql-ws sockets in this process, each following its own order
 * (orderTracking). Updates are published the way OrderEventPublisher does
 * after a commit (the order's Redis channel, plus the staff feed), with no
 * database write, so what is timed is Redis → API → socket:
 *  - memory: the API's RSS with every socket subscribed minus before, per socket;
 *  - one update at a time (400 at 100/s, to distinct sockets): publish → received;
 *  - all 2,000 at once: first publish → last received;
 *  - every received event names the socket's own order (cross-deliveries must be 0).
 */
export const subscriptions: Scenario = {
  name: "subscriptions",
  title: "2,000 subscribed sockets, each its own order: memory, push latency, fan-out, isolation",
  async run(bench) {
    const store = await bench.store();
    const api = await store.startApi();
    bench.log(`  placing ${SOCKETS + WARMUP_SOCKETS} orders`);
    const orders = await placeOrders(store, SOCKETS + WARMUP_SOCKETS);
    // sockets opened and closed once first: the API's code paths and buffers are warm before the baseline is read
    await Promise.all((await openAll(store, orders.slice(SOCKETS))).map((follower) => follower.close()));
    await sleep(SETTLE_MS);
    const before = api.rssMb();
    bench.log(`  opening ${SOCKETS} sockets, ${OPENING} at a time`);
    const opened = Date.now();
    const followers = await openAll(store, orders.slice(0, SOCKETS));
    const openSeconds = (Date.now() - opened) / 1000;
    await sleep(SETTLE_MS);
    const after = api.rssMb();
    const perSocketKb = ((after - before) * 1024) / followers.length;
    try {
      const single = await oneAtATime(store, followers);
      const fanOut = await allAtOnce(store, followers);
      const cross = followers.reduce((sum, follower) => sum + follower.updates.filter((update) => update.orderId !== follower.orderId).length, 0);
      const apiPeakMb = api.peakRssMb();
      const row = { scenario: subscriptions.name, apiPeakMb };
      return [
        {
          ...row,
          measure: `${SOCKETS} subscribed sockets, API memory per socket`,
          load: `${followers.length} open`,
          errors: String(SOCKETS - followers.length),
          target: `<= ${PER_SOCKET_KB} KB RSS per socket`,
          verdict: verdict(followers.length === SOCKETS && perSocketKb <= PER_SOCKET_KB),
          note: `${perSocketKb.toFixed(1)} KB per socket: API RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB with every socket subscribed (${SETTLE_MS / 1000} s after); opening took ${openSeconds.toFixed(1)} s`,
        },
        {
          ...row,
          measure: "one update reaches its subscriber",
          load: `${SINGLE_RATE}/s, ${SINGLE_UPDATES} updates`,
          p50: single.summary.p50,
          p95: single.summary.p95,
          p99: single.summary.p99,
          errors: String(single.missing),
          target: `p99 <= ${SINGLE_P99_MS} ms`,
          verdict: verdict(single.missing === 0 && single.summary.p99 <= SINGLE_P99_MS),
          note: `publish (as after a commit) → the subscribed socket has it, with ${followers.length} sockets open`,
        },
        {
          ...row,
          measure: `all ${SOCKETS} updated at once, last delivery`,
          load: `${followers.length} publishes`,
          p50: fanOut.summary.p50,
          p99: fanOut.summary.p99,
          errors: String(fanOut.missing),
          target: `last <= ${FAN_OUT_MS} ms`,
          verdict: verdict(fanOut.missing === 0 && fanOut.lastMs <= FAN_OUT_MS),
          note: `first publish → last socket has its update: ${fanOut.lastMs.toFixed(0)} ms (publishing took ${fanOut.publishMs.toFixed(0)} ms)`,
        },
        {
          ...row,
          measure: "events at a socket that did not subscribe to them",
          load: `${followers.reduce((sum, follower) => sum + follower.updates.length, 0)} events received`,
          errors: String(cross),
          target: "0 cross-deliveries",
          verdict: verdict(cross === 0),
        },
      ];
    } finally {
      await Promise.all(followers.map((follower) => follower.close()));
    }
  },
};

/** Opens a follower per order, OPENING at a time; a socket that could not subscribe is left out (counted by the caller). */
async function openAll(store: BenchStore, orders: PlacedOrder[]): Promise<Follower[]> {
  const followers: Follower[] = [];
  await inLanes(orders.length, OPENING, async (i) => {
    const follower = await Follower.open(store.url, orders[i].orderId, orders[i].trackingToken).catch(() => null);
    if (follower) followers.push(follower);
  });
  return followers;
}

/**
 * Status versions of the published events: beyond any real change of these
 * fresh orders, so the subscription's "newer than what was sent" filter lets them through.
 */
const VERSION = { [OrderStatus.PAID]: 1000, [OrderStatus.PROCESSING]: 1001 } as const;

/** An order event as OrderEventPublisher sends it once its transaction commits. */
function publish(store: BenchStore, orderId: string, status: OrderStatus.PAID | OrderStatus.PROCESSING): void {
  const event: OrderEvent = { orderId, invoiceNumber: "BENCH", status, version: VERSION[status], sn: null, message: "bench", at: new Date().toISOString() };
  store.infra.eventBus.publish(ORDER_UPDATED, orderId, event);
  store.infra.eventBus.publish(ORDER_FEED, undefined, event);
}

/** Waits until `received` says every follower has it, or `ms` pass. */
async function settle(followers: Follower[], received: (follower: Follower) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !followers.every(received)) await sleep(10);
}

async function oneAtATime(store: BenchStore, followers: Follower[]) {
  const chosen = followers.filter((_, i) => i % Math.floor(followers.length / SINGLE_UPDATES) === 0).slice(0, SINGLE_UPDATES);
  const sentAt = new Map<Follower, number>();
  const t0 = performance.now();
  for (const [i, follower] of chosen.entries()) {
    await sleep(t0 + (i * 1000) / SINGLE_RATE - performance.now());
    sentAt.set(follower, performance.now());
    publish(store, follower.orderId, OrderStatus.PAID);
  }
  await settle(chosen, (follower) => !!follower.received(OrderStatus.PAID), 5000);
  const latencies = chosen.flatMap((follower) => {
    const update = follower.received(OrderStatus.PAID);
    return update ? [update.monoMs - sentAt.get(follower)!] : [];
  });
  return { summary: summarise(latencies, 0, 0, 1), missing: chosen.length - latencies.length };
}

async function allAtOnce(store: BenchStore, followers: Follower[]) {
  const t0 = performance.now();
  for (const follower of followers) publish(store, follower.orderId, OrderStatus.PROCESSING);
  const publishMs = performance.now() - t0;
  await settle(followers, (follower) => !!follower.received(OrderStatus.PROCESSING), 10_000);
  const latencies = followers.flatMap((follower) => {
    const update = follower.received(OrderStatus.PROCESSING);
    return update ? [update.monoMs - t0] : [];
  });
  const summary = summarise(latencies, 0, 0, 1);
  return { summary, lastMs: summary.max, publishMs, missing: followers.length - latencies.length };
}
