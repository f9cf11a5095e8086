import { fundedMember, orderRows, placeSupplierOrders, purchasesAtSupplier, refundsOf, tally, waitForStatuses } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { DRILL_ENV } from "../lib/store";
import { sleep } from "../lib/workload";

/**
 * 9. The supplier answers 5xx to every purchase for 60 s. The outcome of
 * each purchase is unknown, so orders must wait — re-sending the same ref_id
 * with a growing back-off, never refunding — and all complete once the
 * supplier is back, bought once each.
 */
export const supplier5xxDrill: Drill = {
  id: 9,
  name: "supplier-5xx",
  title: "supplier answers 5xx for 60 s",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const count = quick ? 10 : 30;
    const outageMs = quick ? 15_000 : 60_000;
    const buyer = await fundedMember(store, "drill9", 5_000_000);
    const fault = rng.pick(["http500", "http503"] as const);
    await store.sim("digiflazz", "/faults", { endpoints: { transaction: { [fault]: true } } });
    const started = Date.now();
    c.inject(`Digiflazz /transaction answers ${fault === "http500" ? "500" : "503"} to everything for ${outageMs / 1000} s`);
    const orders = await placeSupplierOrders(store, buyer, Array(count).fill("succeeds"));
    c.inFlight = orders.length;
    const ids = orders.map((order) => order.orderId);

    // watch the outage: statuses, refunds, and when each purchase was re-sent
    const requestTimes = new Map<string, number[]>();
    const badStates = new Set<string>();
    while (Date.now() - started < outageMs) {
      const rows = await orderRows(store, ids);
      for (const row of rows) if (row.status !== "PROCESSING") badStates.add(`${row.id}:${row.status}`);
      const sent = await store.query<{ id: string; at: Date | null }>(
        "SELECT p.id, p.last_request_at AS at FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id WHERE i.order_id IN (?)",
        [ids],
      );
      for (const { id, at } of sent) {
        if (!at) continue;
        const times = requestTimes.get(id) ?? [];
        if (times.at(-1) !== at.getTime()) times.push(at.getTime());
        requestTimes.set(id, times);
      }
      await sleep(200);
    }
    const during = await refundsOf(store, ids);
    c.none("every order stays PROCESSING while the outcome is unknown", [...badStates], count);
    c.equal("no refund while the outcome was unknown", during.walletRefunds.length + during.tasks.length, 0);
    const rows = await orderRows(store, ids);
    const attempts = rows.map((row) => row.attempts ?? 0);
    // exponential back-off from SUPPLIER_RECHECK_MIN_MS, capped at SUPPLIER_RECHECK_MAX_MS: how many requests fit in the outage
    const min = Number(DRILL_ENV.SUPPLIER_RECHECK_MIN_MS);
    const max = Number(DRILL_ENV.SUPPLIER_RECHECK_MAX_MS);
    let bound = 1;
    for (let t = 0, k = 0; t < outageMs; k++, bound++) t += Math.min(max, min * 2 ** k);
    const withoutBackoff = Math.floor(outageMs / min);
    c.expect("purchases re-sent during the outage (same ref_id)", attempts.every((n) => n >= 2), `requests per purchase: ${tally(attempts.map(String), "×")}`);
    c.expect(`back-off: at most ${bound + 2} requests per purchase in ${outageMs / 1000} s (without it: ${withoutBackoff})`, attempts.every((n) => n <= bound + 2), `max ${Math.max(...attempts)}`);
    const gaps = [...requestTimes.values()].filter((times) => times.length >= 4).map((times) => times.slice(1).map((t, i) => t - times[i]));
    const growing = gaps.filter((g) => g.at(-1)! > g[0]);
    c.expect("the gap between re-sends grows", gaps.length > 0 && growing.length === gaps.length, `${growing.length}/${gaps.length} purchases: first gap ${median(gaps.map((g) => g[0]))} ms → last ${median(gaps.map((g) => g.at(-1)!))} ms (medians)`);

    await store.sim("digiflazz", "/faults", { endpoints: { transaction: {} } });
    c.inject("then the supplier recovers");
    log(`drill 9: supplier back after ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for ${count} orders`);
    const done = await waitForStatuses(store, ids, ["SUCCESS", "FAILED", "REFUNDED"], 60_000);
    c.expect("every order SUCCESS after the recovery", done.done && done.rows.every((row) => row.status === "SUCCESS"), `${tally(done.rows.map((row) => row.status))} ${done.seconds.toFixed(1)} s after the recovery`);
    const { byCustomer } = await purchasesAtSupplier(store, done.rows);
    c.none("one purchase per ref_id at the supplier (and per order)", done.rows.filter((row) => (byCustomer.get(row.customerNo) ?? []).length !== 1).map((row) => row.customerNo), count);
    const after = await refundsOf(store, ids);
    c.equal("0 refunds", after.walletRefunds.length + after.tasks.length, 0);
    return c.result();
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
