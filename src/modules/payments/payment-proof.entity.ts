import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";

export enum ProofStatus {
  SUBMITTED = "SUBMITTED",
  CONFIRMED = "CONFIRMED",
  REJECTED = "REJECTED",
}
registerEnumType(ProofStatus, { name: "ProofStatus" });

/** A buyer's bukti transfer for a manual-transfer payment; the file lives in ProofStorage. */
@Entity("payment_proofs")
export class PaymentProof extends BaseEntity {
  @Index("idx_payment_proofs_order")
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  @Column({ name: "payment_id", type: "char", length: 26 })
  paymentId: string;

  @Column({ name: "storage_key", type: "varchar", length: 200 })
  storageKey: string;

  @Column({ name: "content_type", type: "varchar", length: 60 })
  contentType: string;

  @Column({ name: "size_bytes", type: "int" })
  sizeBytes: number;

  @Column({ type: "char", length: 64 })
  sha256: string;

  @Column({ type: "enum", enum: ProofStatus, default: ProofStatus.SUBMITTED })
  status: ProofStatus;

  @Column({ name: "reviewed_by", type: "char", length: 26, nullable: true })
  reviewedBy: string | null;

  @Column({ name: "review_reason", type: "varchar", length: 255, nullable: true })
  reviewReason: string | null;
}
