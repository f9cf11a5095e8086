import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

export enum NotificationChannel {
  EMAIL = "EMAIL",
  WHATSAPP = "WHATSAPP",
}

export enum NotificationStatus {
  PENDING = "PENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}

/** A message to send, written in the transaction that caused it and delivered afterwards. */
@Entity("notification_outbox")
@Index("idx_notification_outbox_due", ["status", "nextAttemptAt"])
export class NotificationOutbox extends BaseEntity {
  @Column({ type: "enum", enum: NotificationChannel })
  channel: NotificationChannel;

  @Column({ type: "varchar", length: 190 })
  recipient: string;

  @Column({ type: "varchar", length: 80 })
  template: string;

  @Column({ type: "json" })
  payload: Record<string, unknown>;

  @Column({ type: "enum", enum: NotificationStatus, default: NotificationStatus.PENDING })
  status: NotificationStatus;

  @Column({ type: "int", default: 0 })
  attempts: number;

  /** A PENDING row is not tried before this (now on enqueue, later after a failed send). */
  @Column({ name: "next_attempt_at", type: "datetime", precision: 3 })
  nextAttemptAt: Date;

  @Column({ name: "last_error", type: "varchar", length: 255, nullable: true })
  lastError: string | null;

  @Column({ name: "sent_at", type: "datetime", nullable: true })
  sentAt: Date | null;
}
