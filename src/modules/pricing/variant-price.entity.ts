import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

/** The sell price of one variant for one member level; what a buyer of that level pays. */
@Entity("variant_prices")
@Index("uq_variant_prices_variant_level", ["variantId", "levelCode"], { unique: true })
export class VariantPrice extends BaseEntity {
  /** catalog's product_variants.id (no FK: another module's table) */
  @Column({ name: "variant_id", type: "char", length: 26 })
  variantId: string;

  @Column({ name: "level_code", type: "varchar", length: 32 })
  levelCode: string;

  /** the effective price: the pinned price or the markup result, never below cost */
  @Column(moneyColumn("price"))
  price: number;

  /** set by an admin; wins over markup rules (still raised to cost when cost passes it) */
  @Column({ ...moneyColumn("pinned_price", { nullable: true }) })
  pinnedPrice: number | null;
}
