import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import type { SimTransaction } from "../../src/sandbox/digiflazz/digiflazz.simulator";
import type { CallbackDeliveryLog } from "../../src/sandbox/sim-kit";
import { CHECKOUT, GUEST_CONTACT } from "../ordering/checkout-fixtures";
import { gql } from "../helpers/graphql";
import type { LiveSubscription } from "../helpers/identity";
import type { RedisServer, StoreProcess } from "../helpers/processes";

/** Customer numbers the Digiflazz simulator scripts, as a Mobile Legends user id + zone id (customer_no = userId + zoneId). */
export const NUMBERS = {
  succeeds: (n: number) => ({ userId: `55500${String(n).padStart(5, "0")}`, zoneId: "77" }),
  fails: { userId: "0878000012", zoneId: "32" }, // 087800001232: Gagal at once
  pendingThenSuccess: { userId: "0878000012", zoneId: "33" }, // 087800001233
  pendingThenFail: { userId: "0878000012", zoneId: "34" }, // 087800001234
};

export interface Bought {
  orderId: string;
  total: number;
  trackingToken: string;
}

/** One checkout over GraphQL on `url` (a member's wallet payment when `token` is given, a guest's otherwise). */
export async function buy(url: string, input: { variantId: string; inputs: Record<string, string>; method: string; token?: string }): Promise<Bought> {
  const response = await gql(url, CHECKOUT, {
    input: {
      items: [{ variantId: input.variantId, quantity: 1, inputs: input.inputs }],
      ...(input.token ? {} : { contact: GUEST_CONTACT() }),
      paymentMethod: input.method,
      idempotencyKey: ulid(),
    },
  }, input.token);
  expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
  const { order, trackingToken } = response.data!.checkout as { trackingToken: string; order: { id: string; total: number } };
  return { orderId: order.id, total: order.total, trackingToken };
}

export async function statuses(store: RunningStore, orderIds: string[]): Promise<Map<string, string>> {
  if (orderIds.length === 0) return new Map();
  const rows: { id: string; status: string }[] = await store.infra.dataSource.query(`SELECT id, status FROM orders WHERE id IN (?)`, [orderIds]);
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** The transaction log of each order, as "FROM>TO" strings in order. */
export async function transitions(store: RunningStore, orderIds: string[]): Promise<Map<string, string[]>> {
  const rows: { orderId: string; from: string | null; to: string }[] = await store.infra.dataSource.query(
    `SELECT order_id AS orderId, from_status AS \`from\`, to_status AS \`to\` FROM order_transitions WHERE order_id IN (?) ORDER BY order_id, id`,
    [orderIds],
  );
  const byOrder = new Map<string, string[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) byOrder.get(row.orderId)!.push(`${row.from ?? "-"}>${row.to}`);
  return byOrder;
}

export interface PurchaseRow {
  orderId: string;
  id: string;
  refId: string;
  status: string;
  sn: string | null;
  attempts: number;
  delivered: boolean;
}

/** The supplier purchase of each (single-item) order. */
export async function purchases(store: RunningStore, orderIds: string[]): Promise<Map<string, PurchaseRow>> {
  const rows: (Omit<PurchaseRow, "delivered"> & { delivered: Date | null })[] = await store.infra.dataSource.query(
    `SELECT i.order_id AS orderId, p.id, p.ref_id AS refId, p.status, p.sn, p.attempts, p.result_delivered_at AS delivered
       FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id WHERE i.order_id IN (?)`,
    [orderIds],
  );
  return new Map(rows.map((row) => [row.orderId, { ...row, attempts: Number(row.attempts), delivered: row.delivered !== null }]));
}

/** A member's wallet ledger: [type, amount, reference id] in applied order, and the wallet balance. */
export async function ledger(store: RunningStore, userId: string): Promise<{ rows: [string, number, string][]; balance: number; sum: number }> {
  const rows: { type: string; amount: string; ref: string }[] = await store.infra.dataSource.query(
    `SELECT type, amount, reference_id AS ref FROM balance_mutations WHERE user_id = ? ORDER BY seq`,
    [userId],
  );
  const [wallet] = await store.infra.dataSource.query(`SELECT balance FROM wallets WHERE user_id = ?`, [userId]);
  const list = rows.map((row) => [row.type, Number(row.amount), row.ref] as [string, number, string]);
  return { rows: list, balance: Number(wallet?.balance ?? 0), sum: list.reduce((total, row) => total + row[1], 0) };
}

/** The Digiflazz simulator's view: every transaction it holds (one per ref_id by construction), and its deposit. */
export async function simState(sandboxUrl: string): Promise<{ byRef: Map<string, SimTransaction>; deposit: number; all: SimTransaction[] }> {
  const body = (await (await fetch(`${sandboxUrl}/digiflazz/__sim/transactions`)).json()) as { transactions: SimTransaction[]; deposit: number };
  return { byRef: new Map(body.transactions.map((tx) => [tx.ref_id, tx])), deposit: body.deposit, all: body.transactions };
}

export async function simWebhooks(sandboxUrl: string, refId: string): Promise<CallbackDeliveryLog[]> {
  const all = (await (await fetch(`${sandboxUrl}/digiflazz/__sim/webhooks`)).json()) as CallbackDeliveryLog[];
  return all.filter((delivery) => delivery.body.includes(refId));
}

export async function simPost(sandboxUrl: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${sandboxUrl}/digiflazz/__sim${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

export async function simFaults(sandboxUrl: string, faults: { endpoints?: Record<string, unknown>; callbacks?: Record<string, boolean> } | null): Promise<void> {
  const response = faults
    ? await simPost(sandboxUrl, "/faults", faults)
    : await fetch(`${sandboxUrl}/digiflazz/__sim/faults`, { method: "DELETE" });
  expect(response.status).to.equal(200);
}

interface Update {
  orderId: string;
  status: string;
  sn: string | null;
}

/** The order updates a subscription delivered so far (errors make the wait fail). */
export function updates(live: LiveSubscription): Update[] {
  return live.events.map((event) => {
    const { data, errors } = event as { data?: Record<string, Update>; errors?: unknown };
    if (errors || !data) throw new Error(`subscription error: ${JSON.stringify(event)}`);
    return Object.values(data)[0];
  });
}

/** When a test failed, prints the tail of every process's log (the only trace of what a child did). */
export function printLogsOnFailure(context: Mocha.Context, processes: (StoreProcess | undefined)[], redis?: RedisServer): void {
  if (context.currentTest?.state !== "failed") return;
  for (const child of processes) if (child) console.error(`--- ${child.options.name} (${child.crashed ?? "running"}) ---\n${child.tail(80)}`);
  if (redis) console.error(`--- private redis on ${redis.port} ---`);
}
