/**
 * Benchmark of fulfilment: `npm run bench:fulfilment`.
 * Starts its own store (API + worker + simulators in this process, on a
 * fresh database lapak_bench_fulfilment) and prints:
 *  1. SN push latency: orders paid at BENCH_LATENCY_RATE per second, pending
 *     at the Digiflazz simulator, each followed
 *     by a graphql-ws `orderTracking` subscriber; the time from the supplier's
 *     callback being sent to the subscriber receiving SUCCESS (p50/p99);
 *  2. fulfilment throughput: BENCH_ORDERS orders made PAID at once; orders/s
 *     from the first PAID to the last SUCCESS.
 * Numbers depend on the machine (and share its cores with the simulator).
 */
import "reflect-metadata";
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startBenchStore } from "./bench-store";
import type { RunningStore } from "../src/boot";
import { CategoryType, FulfilmentKind } from "../src/modules/catalog/catalog.enums";
import { OrderStatus } from "../src/modules/ordering/order-state";

const LATENCY_ORDERS = Number(process.env.BENCH_LATENCY_ORDERS ?? 200);
/** orders paid per second in the latency run (a fixed arrival rate, so callbacks arrive spread out) */
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 50);
const THROUGHPUT_ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const PENDING_THEN_SUCCESS = "087800001233";
const SUCCEEDS = "081234567890";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** Places `count` orders of one supplier item and returns them with their tracking tokens (not paid yet). */
async function placeOrders(store: RunningStore, variantId: string, customerNo: string, count: number) {
  const { orders } = store.composition.services;
  const placed = [];
  for (let i = 0; i < count; i++) {
    placed.push(
      await orders.place({
        userId: null,
        contact: { name: "Bench", email: `bench.${i}@example.test` },
        items: [{ variantId, productName: "ML 86", quantity: 1, unitPrice: 25_000, customerNo, fulfilmentKind: FulfilmentKind.SUPPLIER, supplierSku: "ML86", costPrice: 19_800 }],
      }),
    );
  }
  return placed;
}

/** Marks orders PAID (as a gateway callback would), `parallel` at a time; fulfilment starts in the same transaction. */
async function payAll(store: RunningStore, orderIds: string[], parallel = 20): Promise<void> {
  const { orders } = store.composition.services;
  let next = 0;
  const worker = async () => {
    while (next < orderIds.length) {
      const id = orderIds[next++];
      await store.infra.dataSource.transaction((m) => orders.transition(m, id, OrderStatus.PAID, { actor: "bench", reason: "paid" }));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function snLatency(store: RunningStore, variantId: string) {
  const sim = `${store.sandboxUrl}/digiflazz/__sim`;
  await fetch(`${sim}/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pending_delay_ms: 300 }) });
  const placed = await placeOrders(store, variantId, PENDING_THEN_SUCCESS, LATENCY_ORDERS);
  const client = createClient({ url: `${store.url!.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  const received = new Map<string, number>();
  const done = placed.map(
    ({ order, trackingToken }) =>
      new Promise<void>((resolve, reject) => {
        client.subscribe<{ orderTracking: { status: string } }>(
          { query: `subscription { orderTracking(trackingToken: "${trackingToken}") { status } }` },
          {
            next: ({ data }) => {
              if (data?.orderTracking.status === OrderStatus.SUCCESS && !received.has(order.id)) {
                received.set(order.id, Date.now());
                resolve();
              }
            },
            error: reject,
            complete: () => undefined,
          },
        );
      }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000)); // every subscription set up
  const { orders } = store.composition.services;
  const started = Date.now();
  const paying = placed.map(async ({ order }, index) => {
    await new Promise((resolve) => setTimeout(resolve, started + (index * 1000) / LATENCY_RATE - Date.now()));
    await store.infra.dataSource.transaction((m) => orders.transition(m, order.id, OrderStatus.PAID, { actor: "bench", reason: "paid" }));
  });
  await Promise.all(paying);
  await Promise.race([Promise.all(done), new Promise((_, reject) => setTimeout(() => reject(new Error("not every order reached SUCCESS within 120 s")), 120_000))]);
  await client.dispose();

  // when the simulator sent each order's Sukses callback (its delivery log), by ref_id
  const deliveries = (await (await fetch(`${sim}/webhooks`)).json()) as { body: string; attempts: { at: string; ms: number }[] }[];
  const sentAt = new Map<string, number>();
  const answeredIn: number[] = [];
  for (const delivery of deliveries) {
    const data = (JSON.parse(delivery.body) as { data?: { ref_id?: string; status?: string } }).data;
    if (data?.status !== "Sukses" || !data.ref_id || !delivery.attempts[0]) continue;
    sentAt.set(data.ref_id, Date.parse(delivery.attempts[0].at) - delivery.attempts[0].ms); // `at` is when the answer came
    answeredIn.push(delivery.attempts[0].ms);
  }
  answeredIn.sort((a, b) => a - b);
  const refs: { ref_id: string; order_id: string }[] = await store.infra.dataSource.query(
    "SELECT p.ref_id, i.order_id FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id",
  );
  const latencies = refs
    .filter((row) => sentAt.has(row.ref_id) && received.has(row.order_id))
    .map((row) => received.get(row.order_id)! - sentAt.get(row.ref_id)!)
    .sort((a, b) => a - b);
  return {
    orders: LATENCY_ORDERS,
    rate: LATENCY_RATE,
    measured: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    answerP50: percentile(answeredIn, 50),
    answerP99: percentile(answeredIn, 99),
  };
}

async function throughput(store: RunningStore, variantId: string) {
  const placed = await placeOrders(store, variantId, SUCCEEDS, THROUGHPUT_ORDERS);
  const ids = placed.map(({ order }) => order.id);
  const started = Date.now();
  await payAll(store, ids);
  const paidIn = Date.now() - started;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const [row] = await store.infra.dataSource.query(`SELECT COUNT(*) AS n FROM orders WHERE id IN (?) AND status = 'SUCCESS'`, [ids]);
    if (Number(row.n) === ids.length) break;
    if (Date.now() > deadline) throw new Error(`only ${row.n} of ${ids.length} orders reached SUCCESS within 180 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (Date.now() - started) / 1000;
  return { orders: ids.length, seconds: Number(seconds.toFixed(2)), ordersPerSecond: Math.round(ids.length / seconds), paidInMs: paidIn };
}

async function main(): Promise<void> {
  const store = await startBenchStore("lapak_bench_fulfilment", { SUPPLIER_CONCURRENCY: process.env.SUPPLIER_CONCURRENCY ?? "50" });
  try {
    const { catalog } = store.composition.services;
    const admin = { userId: null };
    const category = await catalog.saveCategory(admin, null, { name: "Bench", slug: "bench", type: CategoryType.GAME });
    const product = await catalog.saveProduct(admin, null, { name: "Bench Game", slug: "bench-game", categoryId: category.id, inputSchema: [], customerNoTemplate: null });
    const variant = await catalog.saveVariant(admin, null, {
      productId: product.id, name: "86 Diamonds", sku: "BENCH86", kind: FulfilmentKind.SUPPLIER, supplier: "digiflazz", supplierSku: "ML86", costPrice: 19_800, sort: 0,
    });
    await fetch(`${store.sandboxUrl}/digiflazz/__sim/deposit`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ deposit: 1_000_000_000_000 }) });
    const latency = await snLatency(store, variant.id);
    console.log(`SN push latency (supplier callback sent → subscriber has SUCCESS), ${latency.measured}/${latency.orders} orders paid at ${latency.rate}/s: p50 ${latency.p50} ms, p99 ${latency.p99} ms (the store answered the callback in p50 ${latency.answerP50} ms, p99 ${latency.answerP99} ms)`);
    const rate = await throughput(store, variant.id);
    console.log(`fulfilment throughput: ${rate.orders} orders PAID → SUCCESS in ${rate.seconds} s = ${rate.ordersPerSecond} orders/s (marking them PAID took ${rate.paidInMs} ms)`);
  } finally {
    await store.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
