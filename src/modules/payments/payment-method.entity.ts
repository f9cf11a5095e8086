import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export enum FeeBearer {
  BUYER = "BUYER",
  MERCHANT = "MERCHANT",
}
registerEnumType(FeeBearer, { name: "FeeBearer", description: "Who pays the payment fee" });

/** A way to pay, managed by admins. gateway MANUAL = bank transfer checked by CS. */
@Entity("payment_methods")
export class PaymentMethod extends BaseEntity {
  @Index("uq_payment_methods_code", { unique: true })
  @Column({ type: "varchar", length: 40 })
  code: string;

  /** TRIPAY, MIDTRANS, DUITKU, TOKOPAY, XENDIT or MANUAL. */
  @Column({ type: "varchar", length: 20 })
  gateway: string;

  /** The gateway's channel string (e.g. QRIS, BCAVA); for MANUAL the bank. */
  @Column({ type: "varchar", length: 60 })
  channel: string;

  @Column({ name: "display_name", type: "varchar", length: 100 })
  displayName: string;

  @Column(moneyColumn("fee_flat", { default: 0 }))
  feeFlat: number;

  /** Percent fee in basis points (70 = 0.70 %). */
  @Column({ name: "fee_percent_bp", type: "int", default: 0 })
  feePercentBp: number;

  @Column({ name: "fee_bearer", type: "enum", enum: FeeBearer, default: FeeBearer.BUYER })
  feeBearer: FeeBearer;

  @Column(moneyColumn("min_amount", { default: 0 }))
  minAmount: number;

  @Column(moneyColumn("max_amount", { default: 100_000_000 }))
  maxAmount: number;

  @Column({ type: "boolean", default: true })
  active: boolean;

  @Column({ type: "int", default: 0 })
  sort: number;

  /** What the buyer is told (MANUAL: the account to transfer to). */
  @Column({ type: "varchar", length: 500, nullable: true })
  instructions: string | null;
}
