import type Queue from "bull";
import type { DataSource } from "typeorm";
import { badInput, conflict, notFound } from "../../core/errors";
import type { QueueRegistry } from "../../core/queues";
import type { AuditService } from "../audit/audit.service";
import { SUPPLIER_SYNC_QUEUE } from "../catalog/supplier-sync.processor";
import { RECONCILE_QUEUE } from "../fulfillment/fulfillment.processor";
import type { FulfillmentService, ItemAwaitingStaff, StaffActor } from "../fulfillment/fulfillment.service";
import { SUPPLIER_QUEUE } from "../fulfillment/supplier-purchase.service";
import { NOTIFICATION_QUEUE } from "../notifications/notification.processor";
import { RESELLER_WEBHOOK_SWEEP_QUEUE } from "../notifications/reseller-webhook.processor";
import { RESELLER_WEBHOOK_QUEUE } from "../notifications/reseller-webhook.service";
import { ORDER_EXPIRY_QUEUE } from "../ordering/order-expiry.processor";
import type { Order } from "../ordering/order.entity";
import { PAYMENT_POLL_QUEUE } from "../payments/payments.processor";
import { PAYMENT_CALLBACKS_QUEUE, SUSPECT_CALLBACKS_QUEUE } from "../payments/payments.service";
import { REFUND_QUEUE } from "../refunds/refund.service";
import { SUPPLIER_BALANCE_QUEUE, type SupplierBalanceMonitor, type SupplierBalanceReading } from "./supplier-balance";

/**
 * Every queue the store runs. An API-only process has not opened all of them
 * (the worker does), so the overview names them here; queues opened later
 * under other names are listed too (`QueueRegistry.all()`).
 */
export const STORE_QUEUES: readonly string[] = [
  SUPPLIER_QUEUE,
  RECONCILE_QUEUE,
  SUPPLIER_BALANCE_QUEUE,
  REFUND_QUEUE,
  PAYMENT_CALLBACKS_QUEUE,
  SUSPECT_CALLBACKS_QUEUE,
  PAYMENT_POLL_QUEUE,
  ORDER_EXPIRY_QUEUE,
  NOTIFICATION_QUEUE,
  RESELLER_WEBHOOK_QUEUE,
  RESELLER_WEBHOOK_SWEEP_QUEUE,
  SUPPLIER_SYNC_QUEUE,
];

export interface QueueCounts {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  paused: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  name: string;
  /** the job's payload (ids only in this store; secret-looking keys are masked anyway) */
  data: unknown;
  /** the error message only: stack traces stay in Redis and the logs */
  failedReason: string | null;
  attemptsMade: number;
  failedAt: Date | null;
}

export interface OperationsDeps {
  dataSource: DataSource;
  queues: QueueRegistry;
  audit: AuditService;
  fulfillment: FulfillmentService;
  supplierBalance: SupplierBalanceMonitor;
}

const SECRET_KEY = /secret|password|passwd|token|api.?key|credential|signature|sign$|authorization|cookie|private/i;
const MAX_REASON = 1000;

/**
 * Staff operations over the job queues and fulfilment: what is queued and
 * failing, retrying a failed job, settling or re-checking an order item, and
 * the supplier deposit. Each change is audited.
 */
export class OperationsService {
  constructor(private readonly deps: OperationsDeps) {}

  /** Counts per queue and state, every queue of the store, by name. */
  async queueOverview(): Promise<QueueCounts[]> {
    return Promise.all(
      this.queueNames().map(async (name) => {
        const counts = (await this.deps.queues.get(name).getJobCounts()) as unknown as Partial<Record<keyof QueueCounts, number>>;
        return {
          name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          completed: counts.completed ?? 0,
          failed: counts.failed ?? 0,
          paused: counts.paused ?? 0,
        };
      }),
    );
  }

  /** A queue's failed jobs, most recent failure first. */
  async failedJobs(queueName: string, first = 20): Promise<FailedJob[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput("first must be 1 to 100", { field: "first" });
    const queue = this.queue(queueName);
    const jobs = (await queue.getFailed(0, first - 1)).filter((job): job is Queue.Job => job != null);
    return jobs.map((job) => toFailedJob(queueName, job)).sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
  }

  /** Runs a failed job again (Bull moves it back to waiting); audited. CONFLICT unless it is failed. */
  async retryJob(actor: StaffActor, queueName: string, jobId: string): Promise<boolean> {
    if (jobId.trim() === "" || jobId.length > 200) throw badInput("jobId must be 1 to 200 characters", { field: "jobId" });
    const queue = this.queue(queueName);
    const job = await queue.getJob(jobId);
    if (!job) throw notFound("Job");
    if (!(await job.isFailed())) throw conflict(`This job is ${await job.getState()}; only a failed job can be retried`);
    await this.deps.dataSource.transaction(async (manager) => {
      await this.deps.audit.record(manager, {
        actorId: actor.userId,
        action: "queue_job.retry",
        targetType: "queue_job",
        targetId: `${queueName}:${String(job.id)}`.slice(0, 64),
        before: { queue: queueName, jobId: String(job.id), state: "failed", failedReason: truncate(job.failedReason ?? null, 255), attemptsMade: job.attemptsMade },
        after: { queue: queueName, jobId: String(job.id), state: "waiting", failedReason: null, attemptsMade: job.attemptsMade },
        ip: actor.ip ?? null,
      });
      // last inside the transaction: when Bull refuses (retried meanwhile), the audit row rolls back
      await job.retry().catch((error: Error) => {
        throw conflict(`The job could not be retried: ${error.message}`);
      });
    });
    return true;
  }

  retryOrderItem(actor: StaffActor, orderItemId: string): Promise<Order> {
    return this.deps.fulfillment.retryItem(actor, orderItemId);
  }

  resolveOrderItem(actor: StaffActor, input: { orderItemId: string; outcome: "SUCCESS" | "FAILED"; sn?: string | null; reason: string }): Promise<Order> {
    return this.deps.fulfillment.resolveItem(actor, input);
  }

  itemsAwaitingStaff(first = 50): Promise<ItemAwaitingStaff[]> {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput("first must be 1 to 500", { field: "first" });
    return this.deps.fulfillment.itemsAwaitingStaff(first);
  }

  supplierBalance(): Promise<SupplierBalanceReading> {
    return this.deps.supplierBalance.read();
  }

  private queueNames(): string[] {
    return [...new Set([...STORE_QUEUES, ...this.deps.queues.all().map((queue) => queue.name)])].sort();
  }

  /** Only a queue the store knows: a client's name never opens a new queue (and its Redis connections). */
  private queue(name: string): Queue.Queue {
    if (!this.queueNames().includes(name)) throw notFound(`Queue "${name.slice(0, 60)}"`);
    return this.deps.queues.get(name);
  }
}

function toFailedJob(queue: string, job: Queue.Job): FailedJob {
  return {
    id: String(job.id),
    queue,
    name: job.name,
    data: redact(job.data),
    failedReason: truncate(job.failedReason ?? null, MAX_REASON),
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}

/** Masks values under secret-looking keys, at any depth. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redact(inner, depth + 1)]));
}

const truncate = (text: string | null, length: number) => (text && text.length > length ? `${text.slice(0, length - 1)}…` : text);
