import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** Meta tags for one storefront page: a path ("/", "/faq") or "product:<slug>". */
@Entity("seo_meta")
export class SeoMeta extends BaseEntity {
  @Index("uq_seo_meta_path", { unique: true })
  @Column({ type: "varchar", length: 190 }) path: string;
  @Column({ type: "varchar", length: 160 }) title: string;
  @Column({ type: "varchar", length: 320, nullable: true }) description: string | null;
  @Column({ name: "image_url", type: "varchar", length: 500, nullable: true }) imageUrl: string | null;
  @Column({ name: "canonical_url", type: "varchar", length: 500, nullable: true }) canonicalUrl: string | null;
}
