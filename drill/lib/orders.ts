import { ulid } from "ulid";
import type { DrillStore } from "./store";
import { adjustWallet, place, pool, register, waitUntil, type Account, type Placed } from "./workload";

/**
 * Supplier orders for the drills: Mobile Legends (demo SKU ML86) bought by a
 * funded member with the wallet, so each checkout is PAID at once and its
 * purchase goes straight to the supplier worker. The customer number
 * (user id + zone id) picks the Digiflazz simulator's script.
 */
export const SCRIPT = {
  /** every number the simulator does not script succeeds; the drills use unique ones (no doubles hide) */
  succeeds: "77",
  fails: "32",
  pendingThenSuccess: "33",
  pendingThenFail: "34",
} as const;
export type Script = keyof typeof SCRIPT;

/** ML user id + zone id → the simulator's customer number. */
export function mlInputs(script: Script, unique: number): Record<string, string> {
  if (script === "succeeds") return { userId: `5${String(unique).padStart(9, "0")}`, zoneId: SCRIPT.succeeds };
  return { userId: "0878000012", zoneId: SCRIPT[script] }; // 0878000012 + 32/33/34: the documented test numbers
}

let uniqueCounter = Math.floor(Math.random() * 1_000_000);
export const nextUnique = () => (uniqueCounter = (uniqueCounter + 1) % 1_000_000_000);

export interface SupplierOrder extends Placed {
  script: Script;
  customerNo: string;
  buyer: Account;
}

/** A member with `balance` rupiah in the wallet (an admin adjustment). */
export async function fundedMember(store: DrillStore, tag: string, balance: number): Promise<Account> {
  const member = await register(store.url, tag);
  if (balance > 0) await adjustWallet(store.url, store.admin, member.id, balance);
  return member;
}

/** Places wallet-paid ML86 orders, `parallel` at a time; each is PAID (and queued at the supplier) when this returns. */
export async function placeSupplierOrders(store: DrillStore, buyer: Account, scripts: Script[], parallel = 8): Promise<SupplierOrder[]> {
  const variantId = await store.variantId("ML86");
  return pool(scripts, parallel, async (script) => {
    const inputs = mlInputs(script, nextUnique());
    const placed = await place(store.url, { variantId, inputs, paymentMethod: "WALLET", token: buyer.token, idempotencyKey: ulid() });
    return { ...placed, script, customerNo: `${inputs.userId}${inputs.zoneId}`, buyer };
  });
}

export interface OrderRow {
  id: string;
  status: string;
  total: number;
  userId: string | null;
  itemId: string;
  itemStatus: string;
  itemSn: string | null;
  customerNo: string;
  purchaseId: string | null;
  refId: string | null;
  purchaseStatus: string | null;
  attempts: number | null;
}

/** The orders (one item each) as the database has them, with their supplier purchase. */
export async function orderRows(store: DrillStore, orderIds: string[]): Promise<OrderRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await store.query(
    `SELECT o.id, o.status, o.total, o.user_id AS userId, i.id AS itemId, i.fulfilment_status AS itemStatus, i.sn AS itemSn,
            i.customer_no AS customerNo, p.id AS purchaseId, p.ref_id AS refId, p.status AS purchaseStatus, p.attempts
       FROM orders o LEFT JOIN order_items i ON i.order_id = o.id LEFT JOIN supplier_purchases p ON p.order_item_id = i.id
      WHERE o.id IN (?) ORDER BY o.id`,
    [orderIds],
  );
  return rows.map((row) => ({ ...row, total: Number(row.total), attempts: row.attempts === null ? null : Number(row.attempts) }));
}

export const TERMINAL = ["SUCCESS", "REFUNDED", "COMPLETED", "EXPIRED", "CANCELLED"];

/** Waits until every order is in one of `statuses`; returns the rows as last read (terminal or not). */
export async function waitForStatuses(store: DrillStore, orderIds: string[], statuses: string[], ms: number): Promise<{ rows: OrderRow[]; done: boolean; seconds: number }> {
  const started = Date.now();
  let rows: OrderRow[] = [];
  const done = await waitUntil(async () => {
    rows = await orderRows(store, orderIds);
    return rows.length === orderIds.length && rows.every((row) => statuses.includes(row.status));
  }, ms, 300);
  return { rows, done: !!done, seconds: (Date.now() - started) / 1000 };
}

/** Status counts, e.g. "SUCCESS 18, REFUNDED 2". */
export function tally(values: string[], separator = " "): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value}${separator}${count}`).join(", ");
}

/**
 * What the supplier sandbox did for these orders: its transactions whose
 * customer number is one of theirs (a second purchase for an order would show
 * up here under another ref_id), grouped by customer number.
 */
export async function purchasesAtSupplier(store: DrillStore, rows: OrderRow[]) {
  const all = [...(await store.supplierTransactions()).values()] as { ref_id: string; customer_no?: string; status: string; sn: string; requests: number; price: number }[];
  const numbers = new Set(rows.map((row) => row.customerNo));
  const refs = new Set(rows.map((row) => row.refId));
  const byRef = new Map(all.filter((tx) => refs.has(tx.ref_id)).map((tx) => [tx.ref_id, tx]));
  const byCustomer = new Map<string, typeof all>();
  for (const tx of all) {
    if (!tx.customer_no || !numbers.has(tx.customer_no)) continue;
    byCustomer.set(tx.customer_no, [...(byCustomer.get(tx.customer_no) ?? []), tx]);
  }
  return { byRef, byCustomer };
}

/** Orders refunded: wallet REFUND rows and refund tasks for these orders. */
export async function refundsOf(store: DrillStore, orderIds: string[]): Promise<{ walletRefunds: string[]; tasks: string[] }> {
  if (orderIds.length === 0) return { walletRefunds: [], tasks: [] };
  const wallet = await store.query<{ id: string }>("SELECT reference_id AS id FROM balance_mutations WHERE type = 'REFUND' AND reference_id IN (?)", [orderIds]);
  const tasks = await store.query<{ id: string }>("SELECT order_id AS id FROM refund_tasks WHERE order_id IN (?)", [orderIds]);
  return { walletRefunds: wallet.map((row) => row.id), tasks: tasks.map((row) => row.id) };
}

export async function walletBalance(store: DrillStore, userId: string): Promise<number> {
  const [row] = await store.query<{ b: string }>("SELECT COALESCE(SUM(balance), 0) AS b FROM wallets WHERE user_id = ?", [userId]);
  return Number(row.b);
}
