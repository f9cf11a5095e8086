import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";
import { Voucher } from "./voucher.entity";

export enum VoucherUsageStatus {
  /** Taken by an unpaid order; counts against the limits. */
  RESERVED = "RESERVED",
  /** The order was paid. */
  USED = "USED",
  /** The order expired or was cancelled; the use went back. */
  RELEASED = "RELEASED",
}
registerEnumType(VoucherUsageStatus, { name: "VoucherUsageStatus" });

/** One use of a voucher by one order (at most one voucher per order). */
@Entity("voucher_usages")
@Index("uq_voucher_usages_order", ["orderId"], { unique: true })
@Index("idx_voucher_usages_holder", ["voucherId", "holderKey", "status"])
export class VoucherUsage extends BaseEntity {
  @Column({ name: "voucher_id", type: "char", length: 26 })
  voucherId: string;

  @ManyToOne(() => Voucher, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "voucher_id" })
  voucher?: Voucher;

  /** The ordering module's order id (no foreign key: that table is another module's). */
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  @Column({ name: "user_id", type: "char", length: 26, nullable: true })
  userId: string | null;

  /** Whom the per-user limit counts: "user:<id>" or "guest:<normalised email or WhatsApp>". */
  @Column({ name: "holder_key", type: "varchar", length: 200 })
  holderKey: string;

  @Column(moneyColumn("discount"))
  discount: number;

  @Column({ type: "enum", enum: VoucherUsageStatus, default: VoucherUsageStatus.RESERVED })
  status: VoucherUsageStatus;
}
