import { keepRepeatable, type QueueRegistry } from "../../core/queues";
import type { FulfillmentConfig } from "./fulfillment.config";
import type { FulfillmentService } from "./fulfillment.service";

export const RECONCILE_QUEUE = "fulfilment-reconcile";

/** Worker role: the repeatable reconciliation of orders stuck in PROCESSING. */
export async function startFulfillmentProcessor(queues: QueueRegistry, fulfillment: FulfillmentService, config: FulfillmentConfig): Promise<void> {
  const queue = queues.get(RECONCILE_QUEUE);
  void queue.process(1, () => fulfillment.reconcile());
  await keepRepeatable(queue, null, {}, { repeat: { every: config.reconcileEveryMs }, jobId: "reconcile", removeOnComplete: true, removeOnFail: 100 });
}
