import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";

export const PURCHASE_STATUSES = ["QUEUED", "PROCESSING", "PENDING", "SUCCESS", "FAILED", "NEEDS_STAFF"] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];
export const FINAL_STATUSES: readonly PurchaseStatus[] = ["SUCCESS", "FAILED", "NEEDS_STAFF"];
export const OPEN_STATUSES: readonly PurchaseStatus[] = ["QUEUED", "PROCESSING", "PENDING"];

/**
 * One purchase of one order item from the supplier, and the outbox of the
 * purchase engine: the row is written in the caller's transaction, so the
 * database (not Redis) knows every purchase still to make or to check.
 * QUEUED → PROCESSING (sent, answer not known yet) → PENDING (supplier said
 * Pending) → SUCCESS | FAILED, or NEEDS_STAFF when re-checks ran out.
 */
@Entity("supplier_purchases")
@Index("IDX_supplier_purchases_open", ["status", "nextCheckAt"])
export class SupplierPurchase extends BaseEntity {
  /** the ordering module's order item (no FK: modules own their tables) */
  @Index("UQ_supplier_purchases_order_item", { unique: true })
  @Column({ name: "order_item_id", type: "char", length: 26 })
  orderItemId: string;

  @Column({ type: "varchar", length: 20, default: "DIGIFLAZZ" })
  supplier: string;

  /** fixed before the first attempt and reused on every retry and re-check */
  @Index("UQ_supplier_purchases_ref_id", { unique: true })
  @Column({ name: "ref_id", type: "varchar", length: 40 })
  refId: string;

  @Column({ type: "varchar", length: 64 })
  sku: string;

  @Column({ name: "customer_no", type: "varchar", length: 64 })
  customerNo: string;

  /** the supplier refuses to charge more than this (integer rupiah) */
  @Column(moneyColumn("max_price"))
  maxPrice: number;

  @Column({ type: "varchar", length: 16, default: "QUEUED" })
  status: PurchaseStatus;

  @Column({ type: "varchar", length: 255, nullable: true })
  sn: string | null;

  @Column({ type: "varchar", length: 8, nullable: true })
  rc: string | null;

  @Column({ type: "varchar", length: 255, nullable: true })
  message: string | null;

  /** what the supplier charged (integer rupiah), when it said */
  @Column(moneyColumn("price", { nullable: true }))
  price: number | null;

  /** requests sent for this ref_id (first purchase and every re-check) */
  @Column({ type: "int", default: 0 })
  attempts: number;

  @Column({ name: "last_error", type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  /** when the next job for this row is due; the sweeper re-enqueues rows overdue by a margin */
  @Column({ name: "next_check_at", type: "datetime", precision: 3, nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: "first_attempt_at", type: "datetime", precision: 3, nullable: true })
  firstAttemptAt: Date | null;

  /** re-checks stop here (first attempt + the configured age; staff may extend it, never past 85 days) */
  @Column({ name: "give_up_at", type: "datetime", precision: 3, nullable: true })
  giveUpAt: Date | null;

  /** the supplier asks for at least a minute between two requests for one ref_id */
  @Column({ name: "last_request_at", type: "datetime", precision: 3, nullable: true })
  lastRequestAt: Date | null;

  /** a worker's claim: only the holder of the token may write the answer it got */
  @Column({ name: "lock_token", type: "char", length: 26, nullable: true })
  lockToken: string | null;

  @Column({ name: "locked_until", type: "datetime", precision: 3, nullable: true })
  lockedUntil: Date | null;

  /** set once the result listener took the final result (it is retried until then) */
  @Column({ name: "result_delivered_at", type: "datetime", precision: 3, nullable: true })
  resultDeliveredAt: Date | null;

  /** the supplier's last answer or webhook body, as received */
  @Column({ name: "supplier_payload", type: "json", nullable: true })
  supplierPayload: unknown;
}
