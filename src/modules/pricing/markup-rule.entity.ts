import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

/**
 * How sell prices follow cost for one category and level: cost + percent + fixed,
 * rounded up to the pricing step. category_id "*" is the store-wide default.
 */
@Entity("markup_rules")
@Index("uq_markup_rules_category_level", ["categoryId", "levelCode"], { unique: true })
export class MarkupRule extends BaseEntity {
  /** catalog's categories.id, or "*" for every category without its own rule */
  @Column({ name: "category_id", type: "varchar", length: 26 })
  categoryId: string;

  @Column({ name: "level_code", type: "varchar", length: 32 })
  levelCode: string;

  /** percent in basis points (500 = 5 %); may be negative or zero */
  @Column({ name: "percent_bp", type: "int", default: 0 })
  percentBp: number;

  @Column(moneyColumn("fixed_amount", { default: 0 }))
  fixedAmount: number;
}
