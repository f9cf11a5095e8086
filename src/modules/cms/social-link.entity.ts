import { Column, Entity } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

@Entity("social_links")
export class SocialLink extends BaseEntity {
  /** e.g. instagram, tiktok, whatsapp, facebook, youtube */
  @Column({ type: "varchar", length: 40 }) platform: string;
  @Column({ type: "varchar", length: 500 }) url: string;
  @Column({ type: "int", default: 0 }) sort: number;
}
