import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export enum PaymentStatus {
  PENDING = "PENDING",
  PAID = "PAID",
  EXPIRED = "EXPIRED",
  FAILED = "FAILED",
  REFUNDED = "REFUNDED",
}
registerEnumType(PaymentStatus, { name: "PaymentStatus" });

/** One payment attempt of an order at a gateway (or by manual transfer). */
@Entity("payments")
@Index("idx_payments_status", ["status", "createdAt"])
export class Payment extends BaseEntity {
  @Index("idx_payments_order")
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  /** The store's reference sent to the gateway (merchant_ref / order_id / external_id). */
  @Index("uq_payments_reference", { unique: true })
  @Column({ type: "varchar", length: 64 })
  reference: string;

  @Column({ type: "varchar", length: 20 })
  gateway: string;

  @Column({ name: "method_code", type: "varchar", length: 40 })
  methodCode: string;

  @Column({ type: "varchar", length: 60 })
  channel: string;

  /** What the store asked for (the order total). */
  @Column(moneyColumn("amount"))
  amount: number;

  /** What the buyer pays at the gateway; callbacks are compared with this. */
  @Column(moneyColumn("amount_to_pay"))
  amountToPay: number;

  @Index("uq_payments_gateway_reference", { unique: true })
  @Column({ name: "gateway_reference", type: "varchar", length: 100, nullable: true })
  gatewayReference: string | null;

  @Column({ type: "enum", enum: PaymentStatus, default: PaymentStatus.PENDING })
  status: PaymentStatus;

  /** pay URL, VA number, QR string, payment code ... as shown to the buyer. */
  @Column({ type: "json", nullable: true })
  instructions: Record<string, unknown> | null;

  @Column({ name: "expires_at", type: "datetime", nullable: true })
  expiresAt: Date | null;

  @Column({ name: "paid_at", type: "datetime", nullable: true })
  paidAt: Date | null;

  @Column({ name: "last_checked_at", type: "datetime", nullable: true })
  lastCheckedAt: Date | null;
}
