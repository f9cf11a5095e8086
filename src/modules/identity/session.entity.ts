import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/**
 * One sign-in: the family every rotated refresh token of that sign-in belongs to.
 * Access JWTs carry this id, so revoking the row stops them at once.
 */
@Entity("sessions")
@Index("idx_sessions_user", ["userId"])
export class Session extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  @Column({ name: "revoked_at", type: "datetime", nullable: true })
  revokedAt: Date | null;

  /** logout, refresh-reuse, password-reset, password-change, suspended */
  @Column({ name: "revoked_reason", type: "varchar", length: 40, nullable: true })
  revokedReason: string | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;
}
