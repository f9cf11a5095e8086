import type { EntityManager } from "typeorm";
import { newId } from "./ids";
import { badInput, conflict, notFound } from "./errors";
import { toMoney } from "./money";

/**
 * A per-user balance kept by a ledger, shared by the wallet (rupiah) and the
 * points (points). Both tables follow one shape:
 *   accounts:  id, user_id (unique, FK users), balance BIGINT, mutation_count
 *   mutations: id, user_id, type, amount (signed: + credit, − debit),
 *              balance_before, balance_after, seq (the account's mutation
 *              number, unique per user), reference_type, reference_id
 *              (unique with type), actor_id, note
 * Every method joins the caller's transaction through its EntityManager.
 *
 * Two statements per change: the account row first (one conditional UPDATE,
 * or the upsert of a credit), then the ledger row, whose before/after/seq are
 * copied by INSERT ... SELECT from the account row this transaction now holds
 * locked, so the chain before + amount = after cannot break under
 * concurrency. A repeated type + reference (the unique key refuses the
 * ledger row) puts the account back as it was.
 */
export interface LedgerTables {
  accounts: string;
  mutations: string;
  /** "wallet balance", "points": used in error messages. */
  what: string;
}

export interface LedgerEntry {
  userId: string;
  /** Above zero (the direction comes from debit/credit); 0 only with `allowZero`. */
  amount: number;
  type: string;
  referenceType: string;
  referenceId: string;
  actorId?: string | null;
  note?: string | null;
}

/** Applied: the ledger row's numbers are in the row itself (read them with `entry` when needed). */
export interface Applied {
  applied: true;
  mutationId: string;
}

export interface LedgerRow {
  seq: number;
  balanceBefore: number;
  balanceAfter: number;
}

/** The same type + reference was applied before; nothing changed. */
export interface AlreadyApplied {
  applied: false;
  mutationId: string;
}

export interface DebitOptions {
  /** A repeated type + reference answers `{ applied: false }` instead of CONFLICT. */
  idempotent?: boolean;
  /** Records a zero-amount row (e.g. "nothing left to take back"), so the reference counts as done. */
  allowZero?: boolean;
}

export class Ledger {
  constructor(private readonly tables: LedgerTables) {}

  /**
   * Takes `amount` off the balance with a single conditional UPDATE; when the
   * balance is short nothing is written and BAD_USER_INPUT is thrown. A
   * second debit for the same type + reference is CONFLICT, or a no-op with
   * `{ idempotent: true }`.
   */
  async debit(manager: EntityManager, entry: LedgerEntry, options: DebitOptions & { idempotent: true }): Promise<Applied | AlreadyApplied>;
  async debit(manager: EntityManager, entry: LedgerEntry, options?: DebitOptions & { idempotent?: false }): Promise<Applied>;
  async debit(manager: EntityManager, entry: LedgerEntry, options: DebitOptions = {}): Promise<Applied | AlreadyApplied> {
    checkAmount(entry.amount, options.allowZero);
    const result = await manager.query(
      `UPDATE \`${this.tables.accounts}\` SET balance = balance - ?, mutation_count = mutation_count + 1 WHERE user_id = ? AND balance >= ?`,
      [entry.amount, entry.userId, entry.amount],
    );
    if (affectedRows(result) !== 1) throw badInput(`Insufficient ${this.tables.what}`, { reason: "INSUFFICIENT_BALANCE" });
    const recorded = await this.record(manager, entry, -entry.amount);
    if (recorded.applied || options.idempotent) return recorded;
    throw conflict(`This ${entry.type} for ${entry.referenceType} ${entry.referenceId} was already applied`);
  }

  /**
   * Adds `amount`; creates the account on first use (race-safe upsert). A
   * second credit for the same type + reference changes nothing and answers
   * `{ applied: false }` — this is what makes a refund happen exactly once.
   */
  async credit(manager: EntityManager, entry: LedgerEntry): Promise<Applied | AlreadyApplied> {
    checkAmount(entry.amount);
    try {
      await manager.query(
        `INSERT INTO \`${this.tables.accounts}\` (id, user_id, balance, mutation_count) VALUES (?, ?, ?, 1) ` +
          `ON DUPLICATE KEY UPDATE balance = balance + ?, mutation_count = mutation_count + 1`,
        [newId(), entry.userId, entry.amount, entry.amount],
      );
    } catch (error) {
      if (sqlCode(error) === "ER_NO_REFERENCED_ROW_2") throw notFound("User");
      throw error;
    }
    return this.record(manager, entry, entry.amount);
  }

  /** Current balance (0 when the account does not exist yet); `lock` reads the newest value and holds the row. */
  async balanceOf(manager: EntityManager, userId: string, lock = false): Promise<number> {
    const rows: { balance: string }[] = await manager.query(
      `SELECT balance FROM \`${this.tables.accounts}\` WHERE user_id = ?${lock ? " FOR UPDATE" : ""}`,
      [userId],
    );
    return rows.length === 0 ? 0 : toMoney(rows[0].balance);
  }

  /** One ledger row's position and balances. */
  async entry(manager: EntityManager, mutationId: string): Promise<LedgerRow> {
    const [row]: { seq: number; balance_before: string; balance_after: string }[] = await manager.query(
      `SELECT seq, balance_before, balance_after FROM \`${this.tables.mutations}\` WHERE id = ?`,
      [mutationId],
    );
    if (!row) throw notFound("Ledger entry");
    return { seq: Number(row.seq), balanceBefore: toMoney(row.balance_before), balanceAfter: toMoney(row.balance_after) };
  }

  /**
   * Writes the ledger row of the account change just made: after, seq and
   * before come from the account row we hold locked. When the type + reference
   * was applied before, the account change is undone and the earlier row named.
   */
  private async record(manager: EntityManager, entry: LedgerEntry, signed: number): Promise<Applied | AlreadyApplied> {
    const { accounts, mutations } = this.tables;
    const id = newId();
    try {
      await manager.query(
        `INSERT INTO \`${mutations}\` (id, user_id, type, amount, balance_before, balance_after, seq, reference_type, reference_id, actor_id, note) ` +
          `SELECT ?, user_id, ?, ?, balance - ?, balance, mutation_count, ?, ?, ?, ? FROM \`${accounts}\` WHERE user_id = ?`,
        [id, entry.type, signed, signed, entry.referenceType, entry.referenceId, entry.actorId ?? null, entry.note ?? null, entry.userId],
      );
      return { applied: true, mutationId: id };
    } catch (error) {
      if (sqlCode(error) !== "ER_DUP_ENTRY") throw error;
      // Undo, so nothing stays changed even if the caller catches this and commits.
      await manager.query(`UPDATE \`${accounts}\` SET balance = balance - ?, mutation_count = mutation_count - 1 WHERE user_id = ?`, [signed, entry.userId]);
      // A locking read sees the newest committed row, whatever our snapshot.
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM \`${mutations}\` WHERE type = ? AND reference_type = ? AND reference_id = ? LOCK IN SHARE MODE`,
        [entry.type, entry.referenceType, entry.referenceId],
      );
      if (rows.length === 0) throw error; // a duplicate on another key: not ours to hide
      return { applied: false, mutationId: rows[0].id };
    }
  }
}

function checkAmount(amount: number, allowZero = false): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || (amount === 0 && !allowZero)) {
    throw badInput("Amount must be a whole number above zero");
  }
}

export function affectedRows(result: unknown): number {
  return Number((result as { affectedRows?: number } | null)?.affectedRows ?? 0);
}

export function sqlCode(error: unknown): string | undefined {
  const err = error as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
}
