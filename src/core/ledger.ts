import type { EntityManager } from "typeorm";
import { ulid } from "ulid";
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
 * Order of statements: the ledger row is written first, the account row is
 * touched LAST (one conditional UPDATE), so the hot row is locked only for the
 * rest of the caller's transaction; then the row's before/after/seq are read
 * back from the account row we now hold locked.
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

export interface Applied {
  applied: true;
  mutationId: string;
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
   * balance is short nothing stays written and BAD_USER_INPUT is thrown (the
   * caller's transaction should roll back). A second debit for the same
   * type + reference is CONFLICT, or a no-op with `{ idempotent: true }`.
   */
  async debit(manager: EntityManager, entry: LedgerEntry, options: DebitOptions & { idempotent: true }): Promise<Applied | AlreadyApplied>;
  async debit(manager: EntityManager, entry: LedgerEntry, options?: DebitOptions & { idempotent?: false }): Promise<Applied>;
  async debit(manager: EntityManager, entry: LedgerEntry, options: DebitOptions = {}): Promise<Applied | AlreadyApplied> {
    checkAmount(entry.amount, options.allowZero);
    const mutationId = await this.insertMutation(manager, entry, -entry.amount);
    if (typeof mutationId !== "string") {
      if (options.idempotent) return mutationId;
      throw conflict(`This ${entry.type} for ${entry.referenceType} ${entry.referenceId} was already applied`);
    }
    const { accounts } = this.tables;
    const result = await manager.query(
      `UPDATE \`${accounts}\` SET balance = balance - ?, mutation_count = mutation_count + 1 WHERE user_id = ? AND balance >= ?`,
      [entry.amount, entry.userId, entry.amount],
    );
    if (affectedRows(result) !== 1) {
      // Leave nothing behind even if the caller catches this and commits.
      await this.deleteMutation(manager, mutationId);
      throw badInput(`Insufficient ${this.tables.what}`, { reason: "INSUFFICIENT_BALANCE" });
    }
    return this.finish(manager, entry.userId, mutationId, -entry.amount);
  }

  /**
   * Adds `amount`; creates the account on first use (race-safe upsert). A
   * second credit for the same type + reference changes nothing and answers
   * `{ applied: false }` — this is what makes a refund happen exactly once.
   */
  async credit(manager: EntityManager, entry: LedgerEntry): Promise<Applied | AlreadyApplied> {
    checkAmount(entry.amount);
    const mutationId = await this.insertMutation(manager, entry, entry.amount);
    if (typeof mutationId !== "string") return mutationId;
    try {
      await manager.query(
        `INSERT INTO \`${this.tables.accounts}\` (id, user_id, balance, mutation_count) VALUES (?, ?, ?, 1) ` +
          `ON DUPLICATE KEY UPDATE balance = balance + ?, mutation_count = mutation_count + 1`,
        [ulid(), entry.userId, entry.amount, entry.amount],
      );
    } catch (error) {
      if (sqlCode(error) === "ER_NO_REFERENCED_ROW_2") {
        await this.deleteMutation(manager, mutationId);
        throw notFound("User");
      }
      throw error;
    }
    return this.finish(manager, entry.userId, mutationId, entry.amount);
  }

  /** Current balance (0 when the account does not exist yet); `lock` reads the newest value and holds the row. */
  async balanceOf(manager: EntityManager, userId: string, lock = false): Promise<number> {
    const rows: { balance: string }[] = await manager.query(
      `SELECT balance FROM \`${this.tables.accounts}\` WHERE user_id = ?${lock ? " FOR UPDATE" : ""}`,
      [userId],
    );
    return rows.length === 0 ? 0 : toMoney(rows[0].balance);
  }

  /** Inserts the ledger row; an existing row for the same type + reference means "already applied". */
  private async insertMutation(manager: EntityManager, entry: LedgerEntry, signed: number): Promise<string | AlreadyApplied> {
    const id = ulid();
    try {
      await manager.query(
        `INSERT INTO \`${this.tables.mutations}\` (id, user_id, type, amount, balance_before, balance_after, reference_type, reference_id, actor_id, note) ` +
          `VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`,
        [id, entry.userId, entry.type, signed, entry.referenceType, entry.referenceId, entry.actorId ?? null, entry.note ?? null],
      );
      return id;
    } catch (error) {
      if (sqlCode(error) !== "ER_DUP_ENTRY") throw error;
      // A locking read sees the newest committed row, whatever our snapshot.
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM \`${this.tables.mutations}\` WHERE type = ? AND reference_type = ? AND reference_id = ? LOCK IN SHARE MODE`,
        [entry.type, entry.referenceType, entry.referenceId],
      );
      if (rows.length === 0) throw error; // a duplicate on another key: not ours to hide
      return { applied: false, mutationId: rows[0].id };
    }
  }

  private async deleteMutation(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM \`${this.tables.mutations}\` WHERE id = ?`, [id]);
  }

  /** Reads the balance we just changed (our row lock makes it exact) and completes the ledger row. */
  private async finish(manager: EntityManager, userId: string, mutationId: string, signed: number): Promise<Applied> {
    const [row]: { balance: string; mutation_count: number }[] = await manager.query(
      `SELECT balance, mutation_count FROM \`${this.tables.accounts}\` WHERE user_id = ? FOR UPDATE`,
      [userId],
    );
    const balanceAfter = toMoney(row.balance);
    const balanceBefore = balanceAfter - signed;
    const seq = Number(row.mutation_count);
    await manager.query(
      `UPDATE \`${this.tables.mutations}\` SET balance_before = ?, balance_after = ?, seq = ? WHERE id = ?`,
      [balanceBefore, balanceAfter, seq, mutationId],
    );
    return { applied: true, mutationId, seq, balanceBefore, balanceAfter };
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
