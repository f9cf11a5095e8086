import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { Voucher } from "./voucher.entity";

/** A product a PRODUCTS voucher applies to. product_id is a catalog id, deliberately without a foreign key. */
@Entity("voucher_products")
@Index("uq_voucher_products", ["voucherId", "productId"], { unique: true })
export class VoucherProduct extends BaseEntity {
  @Column({ name: "voucher_id", type: "char", length: 26 })
  voucherId: string;

  @ManyToOne(() => Voucher, (voucher) => voucher.products, { onDelete: "CASCADE" })
  @JoinColumn({ name: "voucher_id" })
  voucher?: Voucher;

  @Column({ name: "product_id", type: "char", length: 26 })
  productId: string;
}
