import type Queue from "bull";
import type { Logger } from "../../core/logger";
import { keepRepeatable } from "../../core/queues";
import { runInScope } from "../../core/request-context";
import type { SupplierSyncService } from "./supplier-sync.service";

export const SUPPLIER_SYNC_QUEUE = "catalog-supplier-sync";

/**
 * Worker side of the price-list sync: one repeatable job every `intervalMinutes`
 * (0 = none). Schedules from an earlier configuration are removed first, so
 * turning it off or changing the interval takes effect on the next worker start;
 * the wanted one is kept registered (a Redis that restarts empty forgets it).
 */
export async function startSupplierSyncProcessor(queue: Queue.Queue, sync: SupplierSyncService, intervalMinutes: number, logger: Logger): Promise<void> {
  void queue.process("sync", 1, (job) =>
    runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, async () => {
      const report = await sync.run(null, "SCHEDULED");
      const { id, status, added, updated, deactivated, reactivated, flagged } = report;
      if (status === "FAILED") logger.warn("supplier sync failed", { reportId: id, errors: report.errors });
      else logger.info("supplier sync", { reportId: id, added, updated, deactivated, reactivated, flagged, errors: report.errors.length });
      return { reportId: id, status };
    }),
  );
  const every = intervalMinutes * 60_000;
  for (const repeatable of await queue.getRepeatableJobs()) {
    if (Number(repeatable.every) !== every) await queue.removeRepeatableByKey(repeatable.key);
  }
  if (intervalMinutes > 0) {
    await keepRepeatable(queue, "sync", {}, { repeat: { every }, jobId: "catalog-supplier-sync", removeOnComplete: 20, removeOnFail: 50 });
  }
}
