import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** Where a reseller's system receives webhooks; the signing secret is stored sealed (AES-256-GCM). */
@Entity("reseller_webhook_endpoints")
@Index("uq_reseller_webhook_endpoints_user", ["userId"], { unique: true })
export class ResellerWebhookEndpoint extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  @Column({ type: "varchar", length: 500 })
  url: string;

  /** SecretBox.seal(secret); the plain secret is shown to the reseller once. */
  @Column({ name: "secret_sealed", type: "varchar", length: 255 })
  secretSealed: string;

  @Column({ name: "secret_rotated_at", type: "datetime", precision: 3 })
  secretRotatedAt: Date;
}
