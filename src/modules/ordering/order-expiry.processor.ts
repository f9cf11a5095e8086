import type { Logger } from "../../core/logger";
import { keepRepeatable, type QueueRegistry } from "../../core/queues";
import type { OrderService } from "./ordering.service";

export const ORDER_EXPIRY_QUEUE = "order-expiry";

/** A repeatable sweep that expires unpaid orders past expires_at (safe to run twice: each expiry re-checks under a row lock). */
export async function startOrderExpiry(queues: QueueRegistry, orders: OrderService, everySeconds: number, logger: Logger): Promise<void> {
  const queue = queues.get(ORDER_EXPIRY_QUEUE);
  void queue.process("sweep", 1, async () => {
    const expired = await orders.expireDue();
    if (expired > 0) logger.info("orders expired", { expired });
    return { expired };
  });
  await keepRepeatable(queue, "sweep", {}, { repeat: { every: everySeconds * 1000 }, jobId: "order-expiry-sweep", removeOnComplete: 20, removeOnFail: 50 });
}
