import { keepRepeatable } from "../../core/queues";
import type Queue from "bull";
import type Redis from "ioredis";
import type { DataSource } from "typeorm";
import { serviceUnavailable } from "../../core/errors";
import type { Logger } from "../../core/logger";
import { runInScope } from "../../core/request-context";
import { SupplierError } from "../fulfillment/supplier";
import { Role } from "../identity/role";
import type { StaffDirectory } from "../identity/staff-directory";
import { NotificationType } from "../notifications/notification.entity";
import type { NotificationService } from "../notifications/notifications.service";

export const SUPPLIER_BALANCE_QUEUE = "supplier-balance";

/** Who hears that the deposit ran low. */
export const LOW_BALANCE_ROLES: readonly Role[] = [Role.ADMIN, Role.BILLING];

export interface SupplierBalanceReading {
  /** integer rupiah */
  balance: number;
  lowThreshold: number;
  low: boolean;
  checkedAt: Date;
}

export interface SupplierBalanceDeps {
  dataSource: DataSource;
  /** the store's deposit at the supplier (Digiflazz cek-saldo), integer rupiah; throws SupplierError */
  readBalance: () => Promise<number>;
  notifications: NotificationService;
  staff: StaffDirectory;
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /** integer rupiah: below this the deposit is low */
  lowThreshold: number;
}

const rupiah = (amount: number) => `Rp ${amount.toLocaleString("id-ID")}`;

/**
 * The store's deposit at the supplier: read on demand for staff, and checked
 * by a repeatable job that alerts every ADMIN and BILLING user once when the
 * deposit falls below the threshold. The alert state lives in Redis under the
 * store's prefix (shared by every worker); it is re-armed by the first check
 * that finds the deposit back at or above the threshold.
 */
export class SupplierBalanceMonitor {
  constructor(private readonly deps: SupplierBalanceDeps) {}

  get alertKey(): string {
    return `${this.deps.redisPrefix}:ops:supplier-balance:low-alerted`;
  }

  /** For staff over GraphQL: a supplier that does not answer is SERVICE_UNAVAILABLE, with no internals. */
  async read(): Promise<SupplierBalanceReading> {
    try {
      return await this.measure();
    } catch (error) {
      if (!(error instanceof SupplierError)) throw error;
      this.deps.logger.warn("supplier balance check failed", { error: error.message, rc: error.rc });
      throw serviceUnavailable("The supplier did not answer the balance check; try again shortly", { rc: error.rc });
    }
  }

  /**
   * The job: reads the deposit; below the threshold it alerts once per
   * crossing (SET NX on the alert key), at or above it re-arms. A supplier
   * error fails the job (its reason shows in `failedJobs`).
   */
  async check(): Promise<SupplierBalanceReading & { alerted: boolean }> {
    const reading = await this.measure();
    const { redis, logger } = this.deps;
    if (!reading.low) {
      await redis.del(this.alertKey);
      return { ...reading, alerted: false };
    }
    const armed = await redis.set(this.alertKey, JSON.stringify({ balance: reading.balance, at: reading.checkedAt.toISOString() }), "NX");
    if (armed !== "OK") return { ...reading, alerted: false };
    let notified: number;
    try {
      notified = await this.alert(reading);
    } catch (error) {
      await redis.del(this.alertKey).catch(() => undefined); // not sent: the next check tries again
      throw error;
    }
    logger.warn("supplier deposit is low", { balance: reading.balance, lowThreshold: reading.lowThreshold, notified });
    return { ...reading, alerted: true };
  }

  private async measure(): Promise<SupplierBalanceReading> {
    const balance = await this.deps.readBalance();
    const lowThreshold = this.deps.lowThreshold;
    return { balance, lowThreshold, low: balance < lowThreshold, checkedAt: new Date() };
  }

  /** One SYSTEM in-app notification per ADMIN / BILLING user, all in one transaction. */
  private async alert(reading: SupplierBalanceReading): Promise<number> {
    const { dataSource, notifications, staff } = this.deps;
    return dataSource.transaction(async (manager) => {
      const userIds = await staff.activeUserIdsWithRoles(LOW_BALANCE_ROLES, manager);
      for (const userId of userIds) {
        await notifications.notify(manager, {
          userId,
          type: NotificationType.SYSTEM,
          title: "Supplier deposit is low",
          body: `The Digiflazz deposit is ${rupiah(reading.balance)}, below the alert level of ${rupiah(reading.lowThreshold)}. Top it up so purchases do not fail.`,
          data: { kind: "SUPPLIER_LOW_BALANCE", balance: reading.balance, lowThreshold: reading.lowThreshold },
        });
      }
      return userIds.length;
    });
  }
}

/**
 * Worker role: the repeatable deposit check every `everyMs` (0: none).
 * Schedules from an earlier configuration are removed first.
 */
export async function startSupplierBalanceProcessor(queue: Queue.Queue, monitor: SupplierBalanceMonitor, everyMs: number, logger: Logger): Promise<void> {
  void queue.process("check", 1, (job) =>
    runInScope({ requestId: `job-${String(job.id)}`, jobId: String(job.id) }, async () => {
      try {
        const { balance, low, alerted } = await monitor.check();
        return { balance, low, alerted };
      } catch (error) {
        logger.warn("supplier balance check job failed", { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    }),
  );
  for (const repeatable of await queue.getRepeatableJobs()) await queue.removeRepeatableByKey(repeatable.key);
  if (everyMs > 0) {
    await keepRepeatable(queue, "check", {}, { repeat: { every: everyMs }, jobId: "supplier-balance-check", removeOnComplete: 20, removeOnFail: 50 });
  }
}
