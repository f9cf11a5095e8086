import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import type { OrderDraft } from "../../src/modules/ordering/ordering.service";
import { Order } from "../../src/modules/ordering/order.entity";
import { OrderStatus } from "../../src/modules/ordering/order-state";

/** An order with explicit prices; its item is PHYSICAL, so fulfilment leaves a paid one PAID (CS ships it) and payment tests stop there. */
export function draft(overrides: Partial<OrderDraft> = {}): OrderDraft {
  return {
    userId: null,
    contact: { name: "Budi", email: `budi.${ulid().toLowerCase()}@example.test`, whatsapp: "081200000000" },
    items: [{ variantId: ulid(), productName: "Mobile Legends 86 Diamonds", quantity: 1, unitPrice: 20_000, inputs: { userId: "12345", zoneId: "678" }, customerNo: "12345678", fulfilmentKind: "PHYSICAL" }],
    ...overrides,
  };
}

export async function countRows(store: RunningStore, table: string): Promise<number> {
  const [row] = await store.infra.dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
  return Number(row.n);
}

/** Test set-up only: puts an order straight into a status (as if earlier steps had happened). */
export async function forceStatus(store: RunningStore, orderId: string, status: OrderStatus): Promise<void> {
  await store.infra.dataSource.getRepository(Order).update({ id: orderId }, { status });
}

/** Resolves when Redis has a subscriber on the channel (the subscribe is lazy). */
export async function waitForSubscriber(store: RunningStore, channel: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [, count] = (await store.infra.redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(count) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nobody subscribed to ${channel}`);
}

export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
