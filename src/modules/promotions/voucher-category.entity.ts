import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { Voucher } from "./voucher.entity";

/** A category a CATEGORIES voucher applies to. category_id is a catalog id, deliberately without a foreign key. */
@Entity("voucher_categories")
@Index("uq_voucher_categories", ["voucherId", "categoryId"], { unique: true })
export class VoucherCategory extends BaseEntity {
  @Column({ name: "voucher_id", type: "char", length: 26 })
  voucherId: string;

  @ManyToOne(() => Voucher, (voucher) => voucher.categories, { onDelete: "CASCADE" })
  @JoinColumn({ name: "voucher_id" })
  voucher?: Voucher;

  @Column({ name: "category_id", type: "char", length: 26 })
  categoryId: string;
}
