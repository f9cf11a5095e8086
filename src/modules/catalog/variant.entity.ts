import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";
import { FulfilmentKind } from "./catalog.enums";
import { Product } from "./product.entity";

/** What is actually bought (e.g. "86 Diamonds"). Sell prices live in pricing's variant_prices. */
@Entity("product_variants")
@Index("uq_variants_supplier_sku", ["supplier", "supplierSku"], { unique: true })
@Index("idx_variants_product", ["productId", "sort"])
export class Variant extends BaseEntity {
  @Column({ name: "product_id", type: "char", length: 26 })
  productId: string;

  @ManyToOne(() => Product, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "product_id" })
  product?: Product;

  @Column({ type: "varchar", length: 160 })
  name: string;

  /** The store's own code for the variant; unique. */
  @Index("uq_variants_sku", { unique: true })
  @Column({ type: "varchar", length: 64 })
  sku: string;

  @Column({ type: "enum", enum: FulfilmentKind })
  kind: FulfilmentKind;

  /** e.g. "digiflazz"; null when the store fulfils it itself. */
  @Column({ type: "varchar", length: 32, nullable: true })
  supplier: string | null;

  /** The supplier's code (Digiflazz buyer_sku_code); unique per supplier. */
  @Column({ name: "supplier_sku", type: "varchar", length: 64, nullable: true })
  supplierSku: string | null;

  @Column(moneyColumn("cost_price"))
  costPrice: number;

  /** Units left where the store counts them (STOCK, PHYSICAL); null = not counted here. */
  @Column({ type: "int", nullable: true })
  stock: number | null;

  /** The admin's switch. */
  @Column({ type: "boolean", default: true })
  active: boolean;

  /** The supplier's switch (set by the price-list sync); a variant sells only when both are on. */
  @Column({ name: "supplier_active", type: "boolean", default: true })
  supplierActive: boolean;

  @Column({ type: "int", default: 0 })
  sort: number;

  /** Set when a cost change jumped past the review threshold; an admin clears it. */
  @Column({ name: "price_review", type: "boolean", default: false })
  priceReview: boolean;

  @Column({ ...moneyColumn("previous_cost_price", { nullable: true }) })
  previousCostPrice: number | null;
}
