import { Checks, type Drill } from "../lib/report";
import { fundedMember, orderRows, placeSupplierOrders, purchasesAtSupplier, refundsOf, tally, waitForStatuses } from "../lib/orders";
import { waitUntil } from "../lib/workload";

/**
 * 4. The supplier buys, then its answer never comes (the HTTP call times
 * out). The store may not buy again under a new ref_id, nor refund: it must
 * re-send the SAME ref_id and take the answer to that. The simulator's
 * webhooks are dropped, so only the re-send can resolve the orders.
 */
export const supplierTimeoutDrill: Drill = {
  id: 4,
  name: "supplier-timeout",
  title: "supplier times out after succeeding",
  async run({ store, quick, log }) {
    const c = new Checks();
    const count = quick ? 8 : 30;
    const buyer = await fundedMember(store, "drill4", 5_000_000);
    await store.sim("digiflazz", "/faults", { endpoints: { transaction: { succeed_then_timeout: true } }, callbacks: { drop_webhook: true } });
    c.inject("Digiflazz /transaction: succeed_then_timeout (the purchase is made and debited, the answer never sent; the store's 3 s timeout fires)");
    c.inject("Digiflazz webhooks dropped (only a re-send of the same ref_id can tell the store)");

    const orders = await placeSupplierOrders(store, buyer, Array(count).fill("succeeds"));
    c.inFlight = orders.length;
    const ids = orders.map((order) => order.orderId);
    log(`drill 4: ${count} orders paid; waiting until the supplier has bought every one`);
    const bought = await waitUntil(async () => {
      const rows = await orderRows(store, ids);
      const { byRef } = await purchasesAtSupplier(store, rows);
      return rows.every((row) => row.refId && byRef.has(row.refId)) ? rows : null;
    }, 30_000);
    c.expect("the supplier bought every order while its answers were lost", !!bought);
    // keep the fault a little longer, so the store re-sends into the silence at least once
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const before = await orderRows(store, ids);
    c.none("no order FAILED or refunded while the outcome was unknown", before.filter((row) => !["PROCESSING", "SUCCESS"].includes(row.status)).map((row) => `${row.id}:${row.status}`), count);
    await store.sim("digiflazz", "/faults", { endpoints: { transaction: {} } });
    c.inject("after the purchases landed: the supplier answers again (webhooks still dropped)");

    const { rows, done, seconds } = await waitForStatuses(store, ids, ["SUCCESS", "FAILED", "REFUNDED"], 60_000);
    c.expect("every order SUCCESS", done && rows.every((row) => row.status === "SUCCESS"), `${tally(rows.map((row) => row.status))} after ${seconds.toFixed(1)} s`);
    const { byRef, byCustomer } = await purchasesAtSupplier(store, rows);
    c.none("one purchase per order at the supplier (0 second purchases)", rows.filter((row) => (byCustomer.get(row.customerNo) ?? []).length !== 1).map((row) => `${row.customerNo}×${(byCustomer.get(row.customerNo) ?? []).length}`), count);
    c.none("each resolved by re-sending the same ref_id (≥ 2 requests for it)", rows.filter((row) => (byRef.get(row.refId ?? "")?.requests ?? 0) < 2).map((row) => row.refId ?? row.id), count);
    c.none("the order's SN is the supplier's", rows.filter((row) => row.itemSn !== byRef.get(row.refId ?? "")?.sn).map((row) => row.id), count);
    const refunds = await refundsOf(store, ids);
    c.equal("0 refunds (wallet or refund task)", refunds.walletRefunds.length + refunds.tasks.length, 0);
    const purchaseRows = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id WHERE i.order_id IN (?)", [ids]);
    c.equal("one supplier_purchases row per order", Number(purchaseRows[0].n), count);
    c.note(`requests per ref_id at the supplier (requests: orders): ${tally(rows.map((row) => String(byRef.get(row.refId ?? "")?.requests ?? 0)), ": ")}`);
    return c.result();
  },
};
