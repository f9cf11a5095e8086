import { keepRepeatable, type QueueRegistry } from "../../core/queues";
import type { NotificationOutboxService } from "./notification-outbox.service";

export const NOTIFICATION_QUEUE = "notifications";

/** Worker role: sweeps the outbox every few seconds (the database holds the pending work). */
export async function startNotificationProcessor(queues: QueueRegistry, outbox: NotificationOutboxService): Promise<void> {
  const queue = queues.get(NOTIFICATION_QUEUE);
  void queue.process("deliver", 1, () => outbox.deliverPending());
  await keepRepeatable(queue, "deliver", {}, { repeat: { every: 5000 }, jobId: "deliver-outbox", removeOnComplete: true, removeOnFail: 100 });
}
