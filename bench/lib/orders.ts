import { FulfilmentKind } from "../../src/modules/catalog/catalog.enums";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { inLanes } from "./follower";
import type { BenchStore } from "./store";

/** Customer numbers the Digiflazz simulator scripts (src/sandbox/digiflazz/digiflazz.scripts.ts). */
export const SUCCEEDS_AT_ONCE = "081234567890";
export const PENDING_THEN_SUCCESS = "087800001233";

export interface PlacedOrder {
  orderId: string;
  trackingToken: string;
}

/**
 * Guest orders of the fulfilment product made straight through the bench's
 * own order service (no HTTP): set-up for scenarios that measure what
 * happens after checkout. PENDING_PAYMENT, not paid.
 */
export async function placeOrders(store: BenchStore, count: number, customerNo = SUCCEEDS_AT_ONCE): Promise<PlacedOrder[]> {
  const { variantId } = await store.fulfilmentProduct();
  const { orders } = store.composition.services;
  const placed: PlacedOrder[] = new Array(count);
  await inLanes(count, 10, async (i) => {
    const { order, trackingToken } = await orders.place({
      userId: null,
      contact: { name: "Bench", email: `bench.${i}@example.test` },
      items: [{ variantId, productName: "Bench Flow 86", quantity: 1, unitPrice: 25_000, customerNo, fulfilmentKind: FulfilmentKind.SUPPLIER, supplierSku: "ML86", costPrice: 19_800 }],
    });
    placed[i] = { orderId: order.id, trackingToken };
  });
  return placed;
}

/** Marks orders PAID as a verified payment does; fulfilment hands them to the supplier queue in the same transaction. */
export async function markPaid(store: BenchStore, orderIds: string[]): Promise<void> {
  const { orders } = store.composition.services;
  await inLanes(orderIds.length, 20, (i) =>
    store.infra.dataSource.transaction((manager) => orders.transition(manager, orderIds[i], OrderStatus.PAID, { actor: "bench", reason: "paid" })).then(() => undefined),
  );
}

/** How many of these orders are SUCCESS now. */
export async function countSuccess(store: BenchStore, orderIds: string[]): Promise<number> {
  const [row] = await store.infra.dataSource.query(`SELECT COUNT(*) AS n FROM orders WHERE id IN (?) AND status = 'SUCCESS'`, [orderIds]);
  return Number(row.n);
}
