import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";

export type SyncTrigger = "MANUAL" | "SCHEDULED";
/** OK: the list was read and applied (row-level problems may still be in `errors`); FAILED: nothing was changed. */
export type SyncStatus = "OK" | "FAILED";

/** One variant the sync changed, for the admin's review. */
export interface SyncChange {
  supplierSku: string;
  variantId: string;
  action: "ADDED" | "UPDATED" | "DEACTIVATED" | "REACTIVATED";
  fromCost?: number;
  toCost?: number;
  /** the cost jumped past CATALOG_PRICE_JUMP_PERCENT */
  flagged?: boolean;
}

/** What one price-list sync run did; never edited after it is written. */
@Entity("supplier_sync_reports")
@Index("idx_sync_reports_supplier", ["supplier", "startedAt"])
export class SupplierSyncReport extends BaseEntity {
  @Column({ type: "varchar", length: 32 })
  supplier: string;

  @Column({ type: "varchar", length: 16 })
  trigger: SyncTrigger;

  @Column({ type: "varchar", length: 16 })
  status: SyncStatus;

  /** the admin who ran it; null for the scheduled job */
  @Column({ name: "actor_id", type: "char", length: 26, nullable: true })
  actorId: string | null;

  @Column({ type: "int", default: 0 })
  added: number;

  @Column({ type: "int", default: 0 })
  updated: number;

  @Column({ type: "int", default: 0 })
  deactivated: number;

  @Column({ type: "int", default: 0 })
  reactivated: number;

  @Column({ type: "int", default: 0 })
  flagged: number;

  @Column({ type: "json" })
  errors: string[];

  @Column({ type: "json" })
  changes: SyncChange[];

  @Column({ name: "started_at", type: "datetime", precision: 3 })
  startedAt: Date;

  @Column({ name: "finished_at", type: "datetime", precision: 3 })
  finishedAt: Date;
}
