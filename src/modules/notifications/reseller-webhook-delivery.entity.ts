import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";

export enum WebhookDeliveryStatus {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}

registerEnumType(WebhookDeliveryStatus, { name: "WebhookDeliveryStatus" });

/**
 * One event to POST to a reseller. The row (not the Bull job) is the source of
 * truth: a PENDING row whose job is gone is re-enqueued by the sweeper. Its id
 * is the X-Lapak-Delivery header and the Bull job id.
 */
@Entity("webhook_deliveries")
@Index("idx_webhook_deliveries_user", ["userId", "id"])
@Index("idx_webhook_deliveries_pending", ["status", "nextAttemptAt"])
export class WebhookDelivery extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  /** e.g. "order.updated" */
  @Column({ type: "varchar", length: 60 })
  event: string;

  @Column({ type: "json" })
  payload: Record<string, unknown>;

  @Column({ type: "enum", enum: WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus;

  /** POSTs made since the row was created or last resent. */
  @Column({ type: "int", unsigned: true, default: 0 })
  attempts: number;

  @Column({ name: "next_attempt_at", type: "datetime", precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  /** HTTP status of the last attempt; null when it got no answer. */
  @Column({ name: "last_status", type: "smallint", unsigned: true, nullable: true })
  lastStatus: number | null;

  @Column({ name: "last_error", type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: "delivered_at", type: "datetime", precision: 3, nullable: true })
  deliveredAt: Date | null;
}
