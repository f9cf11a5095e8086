import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export enum RefundTaskStatus {
  OPEN = "OPEN",
  SETTLED = "SETTLED",
}
registerEnumType(RefundTaskStatus, { name: "RefundTaskStatus" });

/** The reason of a task for a failed order's refund: settling it makes the order REFUNDED. */
export const FAILED_ORDER_REFUND = "FAILED_ORDER";

/** Money the store must give back by hand (e.g. a guest paid after the order expired). */
@Entity("refund_tasks")
export class RefundTask extends BaseEntity {
  @Index("idx_refund_tasks_order")
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  /** order id + reason + payment id: one task per order and reason (and per payment, so a second late payment is not lost). */
  @Index("uq_refund_tasks_dedupe", { unique: true })
  @Column({ name: "dedupe_key", type: "varchar", length: 120 })
  dedupeKey: string;

  @Column({ name: "payment_id", type: "char", length: 26, nullable: true })
  paymentId: string | null;

  /** LATE_PAYMENT (order expired/cancelled), DUPLICATE_PAYMENT (order already paid), FAILED_ORDER, ... */
  @Column({ type: "varchar", length: 40 })
  reason: string;

  @Column(moneyColumn("amount"))
  amount: number;

  @Column({ type: "enum", enum: RefundTaskStatus, default: RefundTaskStatus.OPEN })
  status: RefundTaskStatus;

  /** The bank/gateway reference of the refund, entered when settled. */
  @Column({ type: "varchar", length: 100, nullable: true })
  reference: string | null;

  @Column({ name: "settled_by", type: "char", length: 26, nullable: true })
  settledBy: string | null;

  @Column({ name: "settled_at", type: "datetime", nullable: true })
  settledAt: Date | null;
}
