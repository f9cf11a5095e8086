import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** Who changed what: every admin change, with the before/after of the changed fields. */
@Entity("activity_log")
@Index("idx_activity_log_target", ["targetType", "targetId", "createdAt"])
@Index("idx_activity_log_actor", ["actorId", "createdAt"])
export class ActivityLog extends BaseEntity {
  @Column({ name: "actor_id", type: "char", length: 26, nullable: true })
  actorId: string | null;

  @Column({ type: "varchar", length: 80 })
  action: string;

  @Column({ name: "target_type", type: "varchar", length: 60 })
  targetType: string;

  @Column({ name: "target_id", type: "varchar", length: 64, nullable: true })
  targetId: string | null;

  @Column({ type: "json", nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: "json", nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;

  @Column({ name: "request_id", type: "varchar", length: 64, nullable: true })
  requestId: string | null;
}
