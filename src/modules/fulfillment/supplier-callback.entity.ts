import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

/** What the store made of a supplier webhook. */
export type SupplierCallbackOutcome = "applied" | "ignored" | "unknown" | "rejected" | "ping" | "error";

/**
 * Every webhook a supplier sent, exactly as received (signed or not,
 * duplicate or late), and what the store made of it: the record to answer
 * "what did the supplier tell us, and when" for any ref_id.
 */
@Entity("supplier_callbacks")
export class SupplierCallback extends BaseEntity {
  @Column({ type: "varchar", length: 20 })
  supplier: string;

  /** the supplier's event name (Digiflazz: create, update) */
  @Column({ type: "varchar", length: 20, nullable: true })
  event: string | null;

  @Index("idx_supplier_callbacks_ref")
  @Column({ name: "ref_id", type: "varchar", length: 64, nullable: true })
  refId: string | null;

  @Column({ type: "json" })
  headers: Record<string, unknown>;

  @Column({ name: "raw_body", type: "mediumtext" })
  rawBody: string;

  @Column({ type: "varchar", length: 64, nullable: true })
  ip: string | null;

  @Column({ type: "boolean" })
  verified: boolean;

  /** why it was refused (bad signature, unreadable body) */
  @Column({ type: "varchar", length: 255, nullable: true })
  reason: string | null;

  /** the outcome the webhook claims: SUCCESS, PENDING, FAILED, RETRY */
  @Column({ type: "varchar", length: 20, nullable: true })
  claimed: string | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  outcome: SupplierCallbackOutcome | null;
}
