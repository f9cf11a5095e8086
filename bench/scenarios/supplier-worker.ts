import { SUPPLIER_QUEUE } from "../../src/modules/fulfillment/supplier-purchase.service";
import { verdict, type Scenario } from "../lib/bench";
import { countSuccess, markPaid, placeOrders } from "../lib/orders";
import { sleep, withMemorySampling } from "../lib/processes";
import type { BenchStore } from "../lib/store";

const TARGET = 200;
const ORDERS = 1000;
const WARMUP_ORDERS = 100;
const DEADLINE_MS = 40_000;

/**
 * PAID → SUCCESS through the one worker process and the Digiflazz simulator
 * it hosts (answers Sukses at once). The supplier queue is paused while the
 * orders are made PAID (so marking them, in this process, is not what is
 * measured), then resumed: throughput = orders / (resume → last SUCCESS).
 */
export const supplierWorker: Scenario = {
  name: "supplier-worker",
  title: "supplier worker throughput: PAID → SUCCESS per worker process",
  async run(bench) {
    const store = await bench.store();
    await store.fulfilmentProduct();
    bench.fulfilmentScenarios.push(supplierWorker.name);
    if (bench.warmupSeconds > 0) await drain(store, WARMUP_ORDERS, bench.log);
    bench.log(`  ${ORDERS} orders PAID with the supplier queue paused, then resumed`);
    const { result, peaksMb } = await withMemorySampling([store.api, store.worker], () => drain(store, ORDERS, bench.log));
    const perSecond = result.done / result.seconds;
    const concurrency = store.env.SUPPLIER_CONCURRENCY ?? "10 (the default)";
    return [
      {
        scenario: supplierWorker.name,
        measure: `${ORDERS} queued orders PAID → SUCCESS, 1 worker`,
        load: `${ORDERS} queued, SUPPLIER_CONCURRENCY ${concurrency}`,
        throughput: perSecond,
        errors: String(ORDERS - result.done),
        apiPeakMb: peaksMb.get(store.api),
        workerPeakMb: peaksMb.get(store.worker),
        target: `>= ${TARGET} orders/s per worker`,
        verdict: verdict(result.done === ORDERS && perSecond >= TARGET),
        note: `${result.done}/${ORDERS} SUCCESS ${result.seconds.toFixed(2)} s after the queue was resumed${result.done < ORDERS ? ` (deadline ${DEADLINE_MS / 1000} s)` : ""}`,
      },
    ];
  },
};

/** Pays `count` orders behind a paused supplier queue, resumes it, and times the drain to SUCCESS. */
async function drain(store: BenchStore, count: number, log: (message: string) => void): Promise<{ done: number; seconds: number }> {
  const t0 = Date.now();
  const ids = (await placeOrders(store, count)).map((order) => order.orderId);
  const queue = store.infra.queues.get(SUPPLIER_QUEUE);
  await queue.pause(); // global: the worker takes no supplier job until resume
  try {
    log(`  ${count} orders placed in ${Date.now() - t0} ms`);
    await markPaid(store, ids);
    log(`  ... and PAID in ${Date.now() - t0} ms`);
  } finally {
    await queue.resume();
  }
  const started = Date.now();
  let done = 0;
  while (Date.now() - started < DEADLINE_MS) {
    done = await countSuccess(store, ids);
    if (done === ids.length) break;
    await sleep(20);
  }
  return { done, seconds: (Date.now() - started) / 1000 };
}
