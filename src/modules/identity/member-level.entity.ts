import { Column, Entity } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** Price tiers (RETAIL, MEMBER, VIP, RESELLER); every price lookup keys on one. */
@Entity("member_levels")
export class MemberLevel extends BaseEntity {
  @Column({ type: "varchar", length: 32, unique: true })
  code: string;

  @Column({ type: "varchar", length: 100 })
  name: string;

  /** Higher rank = better prices; used to order levels in admin views. */
  @Column({ type: "int" })
  rank: number;
}
