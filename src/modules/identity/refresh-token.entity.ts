import { Column, Entity, Index } from "typeorm";
import { SingleUseToken } from "./single-use-token";

/** A refresh token: used once, then replaced by the next in its session family; presenting a used one again is treated as theft. */
@Entity("refresh_tokens")
@Index("idx_refresh_tokens_session", ["sessionId"])
@Index("uq_refresh_tokens_hash", ["tokenHash"], { unique: true })
export class RefreshToken extends SingleUseToken {
  @Column({ name: "session_id", type: "char", length: 26 })
  sessionId: string;
}
