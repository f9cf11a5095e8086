import type { DataSource, EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { newId } from "../../core/ids";
import type { AppConfig } from "../../core/config";
import type { Logger } from "../../core/logger";
import { NotificationChannel, NotificationOutbox, NotificationStatus } from "./notification-outbox.entity";
import { loadNotificationOutboxConfig, type NotificationOutboxConfig } from "./notification-outbox.config";
import { notificationTransport } from "./notification-transports";

export interface OutgoingMessage {
  channel: NotificationChannel;
  recipient: string;
  template: string;
  payload: Record<string, unknown>;
}

/** What a transport gets: the message and its outbox id (for the receiver to deduplicate on). */
export interface OutboxMessage extends OutgoingMessage {
  id: string;
}

/** Sends one message, or throws so the outbox retries it later. */
export interface NotificationTransport {
  send(message: OutboxMessage): Promise<void>;
}

export type RetryPolicy = Pick<NotificationOutboxConfig, "maxAttempts" | "retryBaseMs" | "retryMaxMs">;

/** What one deliverPending call did: sent, put back for a later retry, or given up on. */
export interface DeliveryCounts {
  sent: number;
  retrying: number;
  failed: number;
}

/** The wait after failed send number `attempts` (1, 2, ...): base, 2×base, 4×base, ..., at most retryMaxMs. */
export const retryDelayMs = (policy: RetryPolicy, attempts: number) =>
  Math.min(policy.retryBaseMs * 2 ** (attempts - 1), policy.retryMaxMs);

/**
 * The email/WhatsApp outbox. Callers enqueue inside their own transaction so a
 * message exists exactly when the change that caused it committed. A failed
 * send is retried with exponential backoff, then FAILED after maxAttempts.
 */
export class NotificationOutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: NotificationTransport,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  async enqueue(manager: EntityManager, message: OutgoingMessage): Promise<string> {
    const id = newId();
    const row = Object.assign(new NotificationOutbox(), { id, ...message, status: NotificationStatus.PENDING, attempts: 0, nextAttemptAt: new Date() });
    await manager.insert(NotificationOutbox, row as QueryDeepPartialEntity<NotificationOutbox>);
    return id;
  }

  /**
   * Tries up to `limit` due messages, soonest due first. Each row is claimed under
   * a row lock (SKIP LOCKED) held while it is sent, so two workers never send it twice.
   * `now` is a parameter so tests can move time instead of sleeping.
   */
  async deliverPending(limit = 20, now = new Date()): Promise<DeliveryCounts> {
    const counts: DeliveryCounts = { sent: 0, retrying: 0, failed: 0 };
    for (let i = 0; i < limit; i++) {
      const outcome = await this.dataSource.transaction((manager) => this.deliverOne(manager, now));
      if (!outcome) break;
      counts[outcome]++;
    }
    return counts;
  }

  private async deliverOne(manager: EntityManager, now: Date): Promise<keyof DeliveryCounts | null> {
    const row = await manager
      .createQueryBuilder(NotificationOutbox, "n")
      .where("n.status = :status AND n.next_attempt_at <= :now", { status: NotificationStatus.PENDING, now })
      .orderBy("n.next_attempt_at", "ASC")
      .addOrderBy("n.id", "ASC")
      // LIMIT 1, or the locking read would hold every due row and starve the other workers.
      .limit(1)
      .setLock("pessimistic_write")
      .setOnLocked("skip_locked")
      .getOne();
    if (!row) return null;
    row.attempts += 1;
    let outcome: keyof DeliveryCounts;
    try {
      await this.transport.send({ id: row.id, channel: row.channel, recipient: row.recipient, template: row.template, payload: row.payload });
      row.status = NotificationStatus.SENT;
      row.sentAt = new Date();
      row.lastError = null;
      outcome = "sent";
    } catch (error) {
      row.lastError = (error instanceof Error ? error.message : String(error)).slice(0, 255);
      if (row.attempts >= this.policy.maxAttempts) {
        row.status = NotificationStatus.FAILED;
        outcome = "failed";
        // Recipient left out of the log on purpose; the id finds the row.
        this.logger.warn("notification failed for good", { id: row.id, channel: row.channel, template: row.template, attempts: row.attempts, error: row.lastError });
      } else {
        row.nextAttemptAt = new Date(now.getTime() + retryDelayMs(this.policy, row.attempts));
        outcome = "retrying";
      }
    }
    await manager.save(row);
    return outcome;
  }
}

/** The outbox as the store runs it: settings from the environment, a transport per channel. */
export function buildNotificationOutbox(dataSource: DataSource, app: Pick<AppConfig, "env">, logger: Logger, source: NodeJS.ProcessEnv = process.env): NotificationOutboxService {
  const config = loadNotificationOutboxConfig(source);
  return new NotificationOutboxService(dataSource, notificationTransport(config, logger, app.env === "production"), config, logger);
}
