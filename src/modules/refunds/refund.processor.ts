import type Queue from "bull";
import { runInScope } from "../../core/request-context";
import type { RefundJob, RefundService } from "./refund.service";

/** Worker role: refund jobs, and a sweeper every minute for FAILED orders whose job was lost. */
export async function startRefundProcessor(queue: Queue.Queue<RefundJob>, refunds: RefundService, concurrency = 4): Promise<void> {
  void queue.process(concurrency, (job) => runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, () => refunds.handleJob(job.data)));
  await queue.add({ kind: "sweep" }, { repeat: { every: 60_000 }, jobId: "refund-sweep", removeOnComplete: true, removeOnFail: 100 });
}
