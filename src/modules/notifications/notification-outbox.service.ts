import type { DataSource, EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { ulid } from "ulid";
import type { Logger } from "../../core/logger";
import { NotificationChannel, NotificationOutbox, NotificationStatus } from "./notification-outbox.entity";

export interface OutgoingMessage {
  channel: NotificationChannel;
  recipient: string;
  template: string;
  payload: Record<string, unknown>;
}

/** Sends one message; the development transport only logs it. */
export interface NotificationTransport {
  send(message: OutgoingMessage): Promise<void>;
}

/** Development/sandbox transport: writes the message to the log (reset links included), sends nothing. */
export class LogTransport implements NotificationTransport {
  readonly sent: OutgoingMessage[] = [];

  constructor(private readonly logger: Logger, private readonly keep = 50) {}

  async send(message: OutgoingMessage): Promise<void> {
    this.logger.info("notification (development transport)", { ...message });
    this.sent.push(message);
    if (this.sent.length > this.keep) this.sent.shift();
  }
}

/**
 * The email/WhatsApp outbox. Callers enqueue inside their own transaction so a
 * message exists exactly when the change that caused it committed.
 * Retries with backoff come with the notifications issue; here a failed send is FAILED.
 */
export class NotificationOutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: NotificationTransport,
  ) {}

  async enqueue(manager: EntityManager, message: OutgoingMessage): Promise<string> {
    const id = ulid();
    const row = Object.assign(new NotificationOutbox(), { id, ...message, status: NotificationStatus.PENDING, attempts: 0 });
    await manager.insert(NotificationOutbox, row as QueryDeepPartialEntity<NotificationOutbox>);
    return id;
  }

  /** Delivers pending messages, oldest first; each row is claimed under a row lock so two workers never send it twice. */
  async deliverPending(limit = 20): Promise<number> {
    let delivered = 0;
    for (let i = 0; i < limit; i++) {
      const done = await this.dataSource.transaction(async (manager) => {
        const row = await manager
          .createQueryBuilder(NotificationOutbox, "n")
          .where("n.status = :status", { status: NotificationStatus.PENDING })
          .orderBy("n.created_at", "ASC")
          .setLock("pessimistic_write")
          .setOnLocked("skip_locked")
          .getOne();
        if (!row) return false;
        row.attempts += 1;
        try {
          await this.transport.send({ channel: row.channel, recipient: row.recipient, template: row.template, payload: row.payload });
          row.status = NotificationStatus.SENT;
          row.sentAt = new Date();
        } catch (error) {
          row.status = NotificationStatus.FAILED;
          row.lastError = (error instanceof Error ? error.message : String(error)).slice(0, 255);
        }
        await manager.save(row);
        return true;
      });
      if (!done) break;
      delivered++;
    }
    return delivered;
  }
}
