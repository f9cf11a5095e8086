import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export enum CallbackOutcome {
  APPLIED = "APPLIED",
  DUPLICATE = "DUPLICATE",
  REJECTED_SIGNATURE = "REJECTED_SIGNATURE",
  AMOUNT_MISMATCH = "AMOUNT_MISMATCH",
  UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT",
  IGNORED_REGRESSION = "IGNORED_REGRESSION",
  LATE_AFTER_EXPIRY = "LATE_AFTER_EXPIRY",
}
registerEnumType(CallbackOutcome, { name: "CallbackOutcome" });

/** Every callback a gateway sent, exactly as received, and what the store made of it. */
@Entity("payment_callbacks")
@Index("idx_payment_callbacks_pending", ["processedAt", "verified"])
export class PaymentCallback extends BaseEntity {
  @Column({ type: "varchar", length: 20 })
  gateway: string;

  @Column({ name: "sub_path", type: "varchar", length: 100, default: "" })
  subPath: string;

  @Column({ type: "json" })
  headers: Record<string, unknown>;

  @Column({ name: "raw_body", type: "mediumtext" })
  rawBody: string;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;

  @Column({ type: "boolean" })
  verified: boolean;

  @Column({ type: "varchar", length: 255, nullable: true })
  reason: string | null;

  @Index("idx_payment_callbacks_reference")
  @Column({ type: "varchar", length: 64, nullable: true })
  reference: string | null;

  @Column({ name: "gateway_reference", type: "varchar", length: 100, nullable: true })
  gatewayReference: string | null;

  @Column({ name: "event_key", type: "varchar", length: 190, nullable: true })
  eventKey: string | null;

  /** The status the callback claims (PENDING, PAID, EXPIRED, FAILED, REFUNDED). */
  @Column({ type: "varchar", length: 20, nullable: true })
  status: string | null;

  @Column(moneyColumn("amount_paid", { nullable: true }))
  amountPaid: number | null;

  @Column({ type: "enum", enum: CallbackOutcome, nullable: true })
  outcome: CallbackOutcome | null;

  @Column({ name: "processed_at", type: "datetime", nullable: true })
  processedAt: Date | null;
}
