import type { Job } from "bull";
import type { Logger } from "../../core/logger";
import { keepRepeatable, type QueueRegistry } from "../../core/queues";
import { runInScope } from "../../core/request-context";
import type { PaymentsConfig } from "./payments.config";
import { PAYMENT_CALLBACKS_QUEUE, SUSPECT_CALLBACKS_QUEUE, type PaymentService } from "./payments.service";

export const PAYMENT_POLL_QUEUE = "payment-poll";

/** Worker side of payments: the callback queues and the repeatable status poll. */
export async function startPaymentProcessors(
  queues: QueueRegistry,
  payments: PaymentService,
  config: Pick<PaymentsConfig, "pollEverySeconds" | "suspectCallbacksPerSecond">,
  logger: Logger,
): Promise<void> {
  const settle = (job: Job<{ callbackId: string }>) =>
    runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, async () => ({ outcome: await payments.processCallback(job.data.callbackId) }));
  void queues.get<{ callbackId: string }>(PAYMENT_CALLBACKS_QUEUE).process("callback", 4, settle);
  // Suspect callbacks (a claimed amount that is not the payment's) get one slot of their own, held at
  // least 1/rate s per callback: a flood of them (forged with a leaked key, or a gateway's bug) is
  // kept, and settled at a pace that leaves the worker to the callbacks that pay orders.
  const minMs = 1000 / config.suspectCallbacksPerSecond;
  void queues.get<{ callbackId: string }>(SUSPECT_CALLBACKS_QUEUE).process("callback", 1, async (job) => {
    const [result] = await Promise.allSettled([settle(job), new Promise((resolve) => setTimeout(resolve, minMs))]);
    if (result.status === "rejected") throw result.reason; // a failed attempt holds the slot as long
    return result.value;
  });
  const poll = queues.get(PAYMENT_POLL_QUEUE);
  void poll.process("poll", 1, async () => {
    const requeued = await payments.requeueStoredCallbacks();
    const changed = await payments.pollPending();
    if (changed > 0 || requeued > 0) logger.info("payment poll", { changed, requeued });
    return { changed, requeued };
  });
  await keepRepeatable(poll, "poll", {}, { repeat: { every: config.pollEverySeconds * 1000 }, jobId: "payment-poll", removeOnComplete: 20, removeOnFail: 50 });
}
