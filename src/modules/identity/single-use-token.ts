import { Column } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** A secret handed out once and stored only as its SHA-256: refresh tokens, password-reset tokens. */
export abstract class SingleUseToken extends BaseEntity {
  @Column({ name: "token_hash", type: "char", length: 64 })
  tokenHash: string;

  @Column({ name: "expires_at", type: "datetime" })
  expiresAt: Date;

  /** Set when spent; a spent token never works again. */
  @Column({ name: "used_at", type: "datetime", nullable: true })
  usedAt: Date | null;
}
