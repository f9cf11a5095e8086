import { PENDING_THEN_SUCCESS } from "./orders";
import type { BenchStore } from "./store";

/** The moment the supplier's Sukses reached the store, per order (wall clock, ms), and by which way. */
export interface SupplierAnswer {
  at: number;
  way: "answer" | "callback";
}

interface SimTransaction {
  ref_id: string;
  customer_no: string;
  status: string;
  updated_at: string;
}

/**
 * When the Digiflazz simulator (in the worker process) gave each order its
 * Sukses: a purchase that succeeded at once carries the SN in the HTTP answer
 * (updated_at = when it answered, in the worker that asked); a pending one
 * gets it in a callback POSTed to the API (updated_at = set just before the
 * POST). Same machine, same clock, so the SN push latency is the follower's
 * receipt time minus this.
 */
export async function supplierAnswers(store: BenchStore, orderIds: string[]): Promise<Map<string, SupplierAnswer>> {
  const { transactions } = await store.sim<{ transactions: SimTransaction[] }>("digiflazz", "/transactions");
  const byRef = new Map(transactions.filter((tx) => tx.status === "Sukses").map((tx) => [tx.ref_id, tx]));
  const rows: { ref_id: string; order_id: string }[] =
    orderIds.length === 0 ? [] : await store.infra.dataSource.query("SELECT p.ref_id, i.order_id FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id WHERE i.order_id IN (?)", [orderIds]);
  const answers = new Map<string, SupplierAnswer>();
  for (const row of rows) {
    const tx = byRef.get(row.ref_id);
    if (tx) answers.set(row.order_id, { at: Date.parse(tx.updated_at), way: tx.customer_no === PENDING_THEN_SUCCESS ? "callback" : "answer" });
  }
  return answers;
}
