import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** A storefront banner, shown in its placement between starts_at and ends_at. */
@Entity("banners")
@Index("idx_banners_placement", ["placement", "active", "sort"])
export class Banner extends BaseEntity {
  @Column({ type: "varchar", length: 160 }) title: string;
  @Column({ name: "image_url", type: "varchar", length: 500 }) imageUrl: string;
  @Column({ name: "link_url", type: "varchar", length: 500, nullable: true }) linkUrl: string | null;
  /** e.g. "home-hero", "home-strip", "checkout" */
  @Column({ type: "varchar", length: 40 }) placement: string;
  @Column({ name: "starts_at", type: "datetime", nullable: true }) startsAt: Date | null;
  @Column({ name: "ends_at", type: "datetime", nullable: true }) endsAt: Date | null;
  @Column({ type: "int", default: 0 }) sort: number;
  @Column({ type: "boolean", default: true }) active: boolean;
}
