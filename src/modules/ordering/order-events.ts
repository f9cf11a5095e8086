import type { EntityManager } from "typeorm";
import { afterCommit } from "../../core/after-commit";
import type { EventBus } from "../../core/event-bus";
import type { Logger } from "../../core/logger";
import type { OrderStatus } from "./order-state";

/** What subscribers of ORDER_UPDATED (per order) and ORDER_FEED (staff) receive: plain JSON. */
export interface OrderEvent {
  orderId: string;
  invoiceNumber: string;
  status: OrderStatus;
  /** the order's status version after this change (1 when placed, +1 per change): later changes have higher ones */
  version: number;
  /** the delivered SN(s), set on SUCCESS; followers who may not see it get null */
  sn: string | null;
  message: string;
  at: string;
}

export const ORDER_UPDATED = "ORDER_UPDATED";
export const ORDER_FEED = "ORDER_FEED";

/**
 * Publishes order events once the transaction that made them commits (nothing
 * on rollback), on one Redis channel per order plus the staff feed.
 */
export class OrderEventPublisher {
  constructor(
    private readonly eventBus: EventBus,
    private readonly logger: Logger,
  ) {}

  async afterCommit(manager: EntityManager, event: OrderEvent): Promise<void> {
    await afterCommit(manager, () => this.publish(event));
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
