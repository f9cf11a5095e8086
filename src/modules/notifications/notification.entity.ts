import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";

export enum NotificationType {
  TRX = "TRX",
  REFUND = "REFUND",
  TOPUP = "TOPUP",
  VOUCHER = "VOUCHER",
  SYSTEM = "SYSTEM",
}

registerEnumType(NotificationType, { name: "NotificationType", description: "What an in-app notification is about" });

/** One in-app notification for a signed-in user; read_at is null until the user reads it. */
@Entity("notifications")
@Index("idx_notifications_user", ["userId", "id"])
@Index("idx_notifications_user_unread", ["userId", "readAt"])
export class Notification extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  @Column({ type: "enum", enum: NotificationType })
  type: NotificationType;

  @Column({ type: "varchar", length: 150 })
  title: string;

  @Column({ type: "varchar", length: 2000 })
  body: string;

  /** Whatever the app needs to act on it (e.g. {orderId}); plain JSON. */
  @Column({ type: "json", nullable: true })
  data: Record<string, unknown> | null;

  @Column({ name: "read_at", type: "datetime", precision: 3, nullable: true })
  readAt: Date | null;
}
