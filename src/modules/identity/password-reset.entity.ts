import { Column, Entity, Index } from "typeorm";
import { SingleUseToken } from "./single-use-token";

/** A password-reset request: hashed, single-use, short-lived. */
@Entity("password_resets")
@Index("idx_password_resets_user", ["userId"])
@Index("uq_password_resets_hash", ["tokenHash"], { unique: true })
export class PasswordReset extends SingleUseToken {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;
}
