import { Column, Entity, Index, OneToMany } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";
import { VoucherCategory } from "./voucher-category.entity";
import { VoucherProduct } from "./voucher-product.entity";

export enum VoucherKind {
  /** `value` is basis points of the eligible amount (1000 = 10%). */
  PERCENT = "PERCENT",
  /** `value` is rupiah off. */
  FIXED = "FIXED",
}
registerEnumType(VoucherKind, { name: "VoucherKind" });

export enum VoucherScope {
  ALL = "ALL",
  CATEGORIES = "CATEGORIES",
  PRODUCTS = "PRODUCTS",
}
registerEnumType(VoucherScope, { name: "VoucherScope", description: "Which items of an order a voucher discounts" });

@Entity("vouchers")
export class Voucher extends BaseEntity {
  /** Stored upper-cased; unique, so codes are case-insensitive. */
  @Index("uq_vouchers_code", { unique: true })
  @Column({ type: "varchar", length: 40 })
  code: string;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  description: string | null;

  @Column({ type: "enum", enum: VoucherKind })
  kind: VoucherKind;

  /** Basis points (PERCENT) or rupiah (FIXED); always a whole number. */
  @Column(moneyColumn("value"))
  value: number;

  @Column(moneyColumn("max_discount", { nullable: true }))
  maxDiscount: number | null;

  /** Smallest eligible amount (rupiah) the voucher applies to. */
  @Column(moneyColumn("min_spend", { default: 0 }))
  minSpend: number;

  @Column({ type: "enum", enum: VoucherScope, default: VoucherScope.ALL })
  scope: VoucherScope;

  @Column({ name: "valid_from", type: "datetime", nullable: true })
  validFrom: Date | null;

  @Column({ name: "valid_until", type: "datetime", nullable: true })
  validUntil: Date | null;

  /** null: unlimited. used_count counts RESERVED + USED uses and never passes it. */
  @Column({ name: "total_limit", type: "int", unsigned: true, nullable: true })
  totalLimit: number | null;

  @Column({ name: "used_count", type: "int", unsigned: true, default: 0 })
  usedCount: number;

  /** null: unlimited uses per buyer (member, or guest contact). */
  @Column({ name: "per_user_limit", type: "int", unsigned: true, nullable: true })
  perUserLimit: number | null;

  @Column({ type: "boolean", default: true })
  active: boolean;

  /** Listed to members in myVouchers; a non-public code still works when typed. */
  @Column({ name: "is_public", type: "boolean", default: false })
  isPublic: boolean;

  @OneToMany(() => VoucherCategory, (row) => row.voucher)
  categories?: VoucherCategory[];

  @OneToMany(() => VoucherProduct, (row) => row.voucher)
  products?: VoucherProduct[];
}
