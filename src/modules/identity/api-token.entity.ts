import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** A reseller's API token; only its SHA-256 is stored, the token itself is shown once. */
@Entity("api_tokens")
@Index("idx_api_tokens_user", ["userId"])
export class ApiToken extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  @Column({ type: "varchar", length: 60 })
  name: string;

  @Index("uq_api_tokens_hash", { unique: true })
  @Column({ name: "token_hash", type: "char", length: 64 })
  tokenHash: string;

  /** First characters (e.g. "lpk_Ab3d") and last 4, so the owner can tell tokens apart. */
  @Column({ type: "varchar", length: 12 })
  prefix: string;

  @Column({ type: "char", length: 4 })
  last4: string;

  @Column({ type: "json" })
  scopes: string[];

  @Column({ name: "last_used_at", type: "datetime", nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: "revoked_at", type: "datetime", nullable: true })
  revokedAt: Date | null;
}
