import type { Logger } from "../../core/logger";
import { keepRepeatable, type QueueRegistry } from "../../core/queues";
import { runInScope } from "../../core/request-context";
import { PAYMENT_CALLBACKS_QUEUE, SUSPECT_CALLBACKS_QUEUE, type PaymentService } from "./payments.service";

export const PAYMENT_POLL_QUEUE = "payment-poll";

/** Worker side of payments: the callback queue and the repeatable status poll. */
export async function startPaymentProcessors(queues: QueueRegistry, payments: PaymentService, pollEverySeconds: number, logger: Logger): Promise<void> {
  // suspect callbacks (a claimed amount that is not the payment's) get one slot of their own, so a
  // flood of them neither delays nor starves the four that pay orders
  for (const [name, concurrency] of [[PAYMENT_CALLBACKS_QUEUE, 4], [SUSPECT_CALLBACKS_QUEUE, 1]] as const) {
    void queues.get<{ callbackId: string }>(name).process("callback", concurrency, (job) =>
      runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, async () => ({ outcome: await payments.processCallback(job.data.callbackId) })),
    );
  }
  const poll = queues.get(PAYMENT_POLL_QUEUE);
  void poll.process("poll", 1, async () => {
    const requeued = await payments.requeueStoredCallbacks();
    const changed = await payments.pollPending();
    if (changed > 0 || requeued > 0) logger.info("payment poll", { changed, requeued });
    return { changed, requeued };
  });
  await keepRepeatable(poll, "poll", {}, { repeat: { every: pollEverySeconds * 1000 }, jobId: "payment-poll", removeOnComplete: 20, removeOnFail: 50 });
}
