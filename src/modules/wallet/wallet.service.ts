import { DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { badInput, notFound } from "../../core/errors";
import { Ledger, affectedRows, sqlCode, type Applied, type AlreadyApplied, type LedgerRow } from "../../core/ledger";
import type { Page } from "../../core/paging";
import { ledgerPage } from "../../core/ledger-columns";
import type { AuditService } from "../audit/audit.service";
import { BalanceMutation, BalanceMutationType } from "./balance-mutation.entity";
import { Wallet } from "./wallet.entity";

export type DebitType = BalanceMutationType.PURCHASE | BalanceMutationType.ADJUSTMENT | BalanceMutationType.REVERSAL;
export type CreditType = Exclude<BalanceMutationType, BalanceMutationType.PURCHASE>;

export interface WalletChange<T extends BalanceMutationType> {
  userId: string;
  /** Rupiah, a whole number above zero; the direction comes from debit/credit. */
  amount: number;
  type: T;
  /** What caused it, e.g. "ORDER" + the order id. Unique with the type. */
  referenceType: string;
  referenceId: string;
  actorId?: string | null;
  note?: string | null;
}

export interface WalletView {
  userId: string;
  balance: number;
  cashbackMode: boolean;
}

export interface AdminActor {
  actorId: string;
  ip?: string | null;
}

/**
 * Wallet balances and their ledger. debit/credit take the caller's
 * EntityManager so a checkout, refund or callback moves money inside its own
 * transaction: the balance never goes below zero and always equals SUM(amount).
 */
export class WalletService {
  private readonly ledger = new Ledger({ accounts: "wallets", mutations: "balance_mutations", what: "wallet balance" });

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Takes money from the wallet: one conditional UPDATE, then the ledger row;
   * call it LAST in the transaction, just before COMMIT. Short balance
   * → BAD_USER_INPUT (reason INSUFFICIENT_BALANCE), nothing written; the same
   * type + reference twice → CONFLICT.
   */
  debit(manager: EntityManager, change: WalletChange<DebitType>): Promise<Applied> {
    return this.ledger.debit(manager, change);
  }

  /** Adds money; the same type + reference a second time is a no-op answering `{ applied: false }`. */
  credit(manager: EntityManager, change: WalletChange<CreditType>): Promise<Applied | AlreadyApplied> {
    return this.ledger.credit(manager, change);
  }

  /** A ledger row's position and balances before/after. */
  entry(manager: EntityManager, mutationId: string): Promise<LedgerRow> {
    return this.ledger.entry(manager, mutationId);
  }

  async view(userId: string, manager: EntityManager = this.dataSource.manager): Promise<WalletView> {
    const wallet = await manager.findOneBy(Wallet, { userId });
    return { userId, balance: wallet?.balance ?? 0, cashbackMode: wallet?.cashbackMode ?? false };
  }

  /** Whether a reseller gets the margin back as CASHBACK instead of paying the reseller price. */
  async isCashbackMode(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await this.view(userId, manager)).cashbackMode;
  }

  /** Newest first, by ledger sequence. */
  mutations(userId: string, first: number, after?: string | null): Promise<Page<BalanceMutation>> {
    return ledgerPage(this.dataSource.getRepository(BalanceMutation), userId, first, after);
  }

  /** Admin correction with a reason, audited; a negative amount cannot take the balance below zero. */
  async adjust(actor: AdminActor, input: { userId: string; amount: number; reason: string }): Promise<BalanceMutation> {
    const reason = input.reason.trim();
    if (reason.length < 3) throw badInput("Give a reason for the adjustment", { field: "reason" });
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
      throw badInput("Amount must be a whole number of rupiah, not zero", { field: "amount" });
    }
    return this.dataSource.transaction(async (manager) => {
      const change = {
        userId: input.userId,
        amount: Math.abs(input.amount),
        type: BalanceMutationType.ADJUSTMENT as const,
        referenceType: "ADMIN_ADJUSTMENT",
        referenceId: newId(),
        actorId: actor.actorId,
        note: reason,
      };
      const applied = input.amount > 0 ? await this.ledger.credit(manager, change) : await this.ledger.debit(manager, change);
      const mutation = await manager.findOneByOrFail(BalanceMutation, { id: applied.mutationId });
      await this.audit.record(manager, {
        actorId: actor.actorId,
        action: "wallet.adjust",
        targetType: "wallet",
        targetId: input.userId,
        before: { balance: mutation.balanceBefore },
        after: { balance: mutation.balanceAfter, amount: input.amount, reason, mutationId: mutation.id },
        ip: actor.ip,
      });
      return mutation;
    });
  }

  /** Turns a user's cashback mode on or off (creates the wallet if needed), audited. */
  async setCashbackMode(actor: AdminActor, userId: string, on: boolean): Promise<WalletView> {
    return this.dataSource.transaction(async (manager) => {
      try {
        await manager.query(
          "INSERT INTO wallets (id, user_id, balance, mutation_count, cashback_mode) VALUES (?, ?, 0, 0, 0) ON DUPLICATE KEY UPDATE id = id",
          [newId(), userId],
        );
      } catch (error) {
        if (sqlCode(error) === "ER_NO_REFERENCED_ROW_2") throw notFound("User");
        throw error;
      }
      const [row]: { cashback_mode: number }[] = await manager.query(
        "SELECT cashback_mode FROM wallets WHERE user_id = ? FOR UPDATE",
        [userId],
      );
      const was = Boolean(row.cashback_mode);
      const result = await manager.query("UPDATE wallets SET cashback_mode = ? WHERE user_id = ?", [on, userId]);
      if (affectedRows(result) !== 1) throw notFound("Wallet");
      await this.audit.record(manager, {
        actorId: actor.actorId,
        action: "wallet.set_cashback_mode",
        targetType: "wallet",
        targetId: userId,
        before: { cashbackMode: was },
        after: { cashbackMode: on },
        ip: actor.ip,
      });
      return this.view(userId, manager);
    });
  }
}
