import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { CategoryType } from "./catalog.enums";

@Entity("categories")
export class Category extends BaseEntity {
  @Column({ type: "varchar", length: 120 })
  name: string;

  @Index("uq_categories_slug", { unique: true })
  @Column({ type: "varchar", length: 120 })
  slug: string;

  @Column({ type: "enum", enum: CategoryType })
  type: CategoryType;

  @Column({ name: "image_url", type: "varchar", length: 500, nullable: true })
  imageUrl: string | null;

  @Column({ type: "int", default: 0 })
  sort: number;

  @Column({ type: "boolean", default: true })
  active: boolean;
}
