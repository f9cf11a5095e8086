import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export enum RefundTaskStatus {
  OPEN = "OPEN",
  SETTLED = "SETTLED",
}
registerEnumType(RefundTaskStatus, { name: "RefundTaskStatus" });

/** Money the store must give back by hand (e.g. a guest paid after the order expired). */
@Entity("refund_tasks")
@Index("uq_refund_tasks_order_reason", ["orderId", "reason"], { unique: true })
export class RefundTask extends BaseEntity {
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  @Column({ name: "payment_id", type: "char", length: 26, nullable: true })
  paymentId: string | null;

  /** LATE_PAYMENT, FAILED_ORDER, ... */
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
