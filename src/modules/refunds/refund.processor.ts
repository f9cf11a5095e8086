import type Queue from "bull";
import { keepRepeatable } from "../../core/queues";
import { runInScope } from "../../core/request-context";
import type { RefundJob, RefundService } from "./refund.service";

/** Worker role: refund jobs, and a sweeper (every `sweepEveryMs`) for FAILED orders whose job was lost. */
export async function startRefundProcessor(queue: Queue.Queue<RefundJob>, refunds: RefundService, sweepEveryMs = 60_000, concurrency = 4): Promise<void> {
  void queue.process(concurrency, (job) => runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, () => refunds.handleJob(job.data)));
  await keepRepeatable(queue, null, { kind: "sweep" }, { repeat: { every: sweepEveryMs }, jobId: "refund-sweep", removeOnComplete: true, removeOnFail: 100 });
}
