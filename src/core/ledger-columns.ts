import { Column, LessThan, type FindOptionsOrder, type FindOptionsWhere, type Repository } from "typeorm";
import { BaseEntity } from "./base.entity";
import { moneyColumn } from "./money";
import { seqCursor, toPage, type Page } from "./paging";

// The columns the Ledger (ledger.ts) relies on, shared by every ledger-kept
// balance (wallet rupiah, points). Each concrete entity adds its table name,
// indexes (unique user; unique type+reference; unique user+seq) and extras.

export abstract class LedgerAccountColumns extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  /** BIGINT UNSIGNED, read back as a safe integer (rupiah or points): the database itself refuses a negative balance. */
  @Column({ ...moneyColumn("balance", { default: 0 }), unsigned: true })
  balance: number;

  /** How many ledger rows this account has; each row's seq is its number in this chain. */
  @Column({ name: "mutation_count", type: "int", unsigned: true, default: 0 })
  mutationCount: number;
}

export abstract class LedgerMutationColumns extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  /** Signed: positive adds, negative takes; balance = SUM(amount), balance_after = balance_before + amount. */
  @Column(moneyColumn("amount"))
  amount: number;

  @Column(moneyColumn("balance_before"))
  balanceBefore: number;

  @Column(moneyColumn("balance_after"))
  balanceAfter: number;

  /** 1, 2, 3... in the order applied; set in the same transaction right after the account row is updated. */
  @Column({ type: "int", unsigned: true, nullable: true })
  seq: number | null;

  /** What caused it: ORDER, ADMIN_ADJUSTMENT, POINT_MUTATION, ... */
  @Column({ name: "reference_type", type: "varchar", length: 40 })
  referenceType: string;

  @Column({ name: "reference_id", type: "varchar", length: 64 })
  referenceId: string;

  @Column({ name: "actor_id", type: "char", length: 26, nullable: true })
  actorId: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  note: string | null;
}

/** A user's ledger rows, newest first by seq; the cursor is the last row's seq. */
export async function ledgerPage<T extends LedgerMutationColumns>(
  repository: Repository<T>,
  userId: string,
  first: number,
  after?: string | null,
): Promise<Page<T>> {
  const before = seqCursor(after);
  const where = (before === null ? { userId } : { userId, seq: LessThan(before) }) as FindOptionsWhere<T>;
  const rows = await repository.find({ where, order: { seq: "DESC" } as FindOptionsOrder<T>, take: first + 1 });
  return toPage(rows, first, (row) => String(row.seq));
}
