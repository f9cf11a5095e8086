import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { Category } from "./category.entity";
import type { InputField } from "./input-schema";

/** A brand the buyer picks (e.g. "Mobile Legends"); what is bought is one of its variants. */
@Entity("products")
@Index("idx_products_listing", ["active", "sort"])
@Index("idx_products_category", ["categoryId", "sort"])
export class Product extends BaseEntity {
  @Column({ type: "varchar", length: 160 })
  name: string;

  @Index("uq_products_slug", { unique: true })
  @Column({ type: "varchar", length: 160 })
  slug: string;

  @Column({ name: "category_id", type: "char", length: 26 })
  categoryId: string;

  @ManyToOne(() => Category, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "category_id" })
  category?: Category;

  @Column({ name: "image_url", type: "varchar", length: 500, nullable: true })
  imageUrl: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "int", default: 0 })
  sort: number;

  @Column({ type: "boolean", default: true })
  active: boolean;

  /** The fields the buyer fills in at checkout (see input-schema.ts). */
  @Column({ name: "input_schema", type: "json" })
  inputSchema: InputField[];

  /** Builds the supplier's customer_no from the inputs, e.g. "{userId}{zoneId}". */
  @Column({ name: "customer_no_template", type: "varchar", length: 200, nullable: true })
  customerNoTemplate: string | null;
}
