import type Queue from "bull";
import { keepRepeatable } from "../../core/queues";
import { runInScope } from "../../core/request-context";
import type { FulfillmentConfig } from "./fulfillment.config";
import type { SupplierJob, SupplierPurchaseService } from "./supplier-purchase.service";

/**
 * The worker side of the "supplier" queue: drive jobs (send / re-check a
 * purchase), result deliveries, and the repeatable outbox sweeper.
 */
export async function startSupplierProcessor(queue: Queue.Queue<SupplierJob>, service: SupplierPurchaseService, config: FulfillmentConfig): Promise<void> {
  void queue.process(config.concurrency, (job) =>
    runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, () => service.handleJob(job.data)),
  );
  await keepRepeatable(queue, null, { kind: "sweep" }, { repeat: { every: config.sweepEveryMs }, jobId: "supplier-sweep", removeOnComplete: true, removeOnFail: 100 });
}
