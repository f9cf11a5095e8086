import type { Queue } from "bull";
import { keepRepeatable } from "../../core/queues";
import type { ResellerWebhookConfig } from "./reseller-webhook.config";
import type { DeliveryJob, ResellerWebhookService } from "./reseller-webhook.service";

export const RESELLER_WEBHOOK_SWEEP_QUEUE = "reseller-webhooks-sweep";

export class RetryLater extends Error {}

/**
 * Worker side of reseller webhooks: each job is one POST; a failed POST throws
 * so Bull retries it with exponential backoff; the last allowed failure marks
 * the delivery FAILED and completes the job. A repeatable job runs the sweeper.
 */
export async function startResellerWebhookWorker(
  deliveries: Queue<DeliveryJob>,
  sweeps: Queue,
  webhooks: ResellerWebhookService,
  config: ResellerWebhookConfig,
): Promise<void> {
  void deliveries.process(config.concurrency, async (job) => {
    const outcome = await webhooks.attempt(job.data.deliveryId, job.attemptsMade + 1);
    if (outcome === "RETRY") throw new RetryLater("receiver did not answer 2xx; retrying with backoff");
    return outcome;
  });
  void sweeps.process(1, async () => webhooks.sweep());
  await keepRepeatable(sweeps, null, {}, { repeat: { every: config.sweepIntervalMs }, jobId: "sweep", removeOnComplete: true, removeOnFail: true });
}
