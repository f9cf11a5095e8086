import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from "typeorm";
import type { EventBus } from "../../core/event-bus";
import type { Logger } from "../../core/logger";

/** What subscribers of ORDER_UPDATED (per order) and ORDER_FEED (staff) receive: plain JSON. */
export interface OrderEvent {
  orderId: string;
  status: string;
  message: string;
  at: string;
}

export const ORDER_UPDATED = "ORDER_UPDATED";
export const ORDER_FEED = "ORDER_FEED";

/**
 * Holds order events raised inside a transaction and publishes them only after
 * the outermost COMMIT (dropped on rollback), whichever module opened the
 * transaction. Registered as a TypeORM subscriber on the DataSource.
 */
export class OrderEventOutbox implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, OrderEvent[]>();

  constructor(
    private readonly eventBus: EventBus,
    private readonly logger: Logger,
  ) {}

  static install(dataSource: DataSource, eventBus: EventBus, logger: Logger): OrderEventOutbox {
    const outbox = new OrderEventOutbox(eventBus, logger);
    (dataSource.subscribers as EntitySubscriberInterface[]).push(outbox);
    return outbox;
  }

  /** Queues an event for after the commit of the transaction running on `queryRunner`. */
  add(queryRunner: QueryRunner, event: OrderEvent): void {
    const list = this.pending.get(queryRunner) ?? [];
    list.push(event);
    this.pending.set(queryRunner, list);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint, not the real commit
    const events = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    for (const orderEvent of events ?? []) this.publish(orderEvent);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  private publish(event: OrderEvent): void {
    try {
      this.eventBus.publish(ORDER_UPDATED, event.orderId, event);
      this.eventBus.publish(ORDER_FEED, undefined, event);
    } catch (error) {
      this.logger.warn("order event not published", { orderId: event.orderId, error: (error as Error).message });
    }
  }
}
