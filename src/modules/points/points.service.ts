import { DataSource, type EntityManager, In } from "typeorm";
import { badInput } from "../../core/errors";
import { Ledger, type Applied, type AlreadyApplied } from "../../core/ledger";
import type { Page } from "../../core/paging";
import { ledgerPage } from "../../core/ledger-columns";
import type { PointsRules, PointsRulesSource } from "./points.config";
import { PointMutation, PointMutationType } from "./point-mutation.entity";

export interface PointsQuote {
  points: number;
  /** What the points pay, in rupiah. */
  rupiahValue: number;
}

export interface ReverseResult {
  /** Redeemed points given back. */
  returned: number;
  /** Earned points taken back (never more than the balance holds). */
  takenBack: number;
}

const ORDER = "ORDER";

/** Points: earned on paid orders, redeemed at checkout, reversed on refund or expiry. */
export class PointsService {
  private readonly ledger = new Ledger({ accounts: "point_accounts", mutations: "point_mutations", what: "points" });

  constructor(
    private readonly dataSource: DataSource,
    /** the store settings' points rules, read on every call (one source of truth) */
    private readonly rules: PointsRulesSource,
  ) {}

  /**
   * What `points` are worth against an order total (the total before points).
   * BAD_USER_INPUT above the balance or above the allowed share of the total.
   */
  async quoteRedemption(userId: string, points: number, orderTotal: number, manager: EntityManager = this.dataSource.manager): Promise<PointsQuote> {
    const quote = this.value(await this.rules(manager), points, orderTotal);
    const balance = await this.ledger.balanceOf(manager, userId);
    if (points > balance) throw badInput(`You have ${balance} points`, { field: "points", balance });
    return quote;
  }

  /**
   * Redeems points for an order inside the caller's transaction: the cap is
   * checked, then one conditional UPDATE (never below zero). Short balance →
   * BAD_USER_INPUT; redeeming twice for one order → CONFLICT.
   */
  async redeem(manager: EntityManager, input: { userId: string; orderId: string; points: number; orderTotal: number }): Promise<PointsQuote> {
    const quote = this.value(await this.rules(manager), input.points, input.orderTotal);
    await this.ledger.debit(manager, {
      userId: input.userId,
      amount: input.points,
      type: PointMutationType.REDEEM,
      referenceType: ORDER,
      referenceId: input.orderId,
      note: `Rp${quote.rupiahValue} off the order`,
    });
    return quote;
  }

  /** Points for a successful order, at the configured rate; once per order (a repeat answers applied: false). */
  async earn(manager: EntityManager, input: { userId: string; orderId: string; amountPaid: number }): Promise<{ points: number; applied: boolean }> {
    if (!Number.isSafeInteger(input.amountPaid) || input.amountPaid < 0) throw badInput("amountPaid must be whole rupiah");
    const per = (await this.rules(manager)).rupiahPerPointEarned;
    const points = per === 0 ? 0 : Math.floor(input.amountPaid / per);
    if (points === 0) return { points: 0, applied: false };
    const result = await this.ledger.credit(manager, {
      userId: input.userId,
      amount: points,
      type: PointMutationType.EARN,
      referenceType: ORDER,
      referenceId: input.orderId,
    });
    return { points, applied: result.applied };
  }

  /**
   * Undoes an order's points exactly once (refund, expiry, cancellation):
   * redeemed points come back, then earned points are taken back — only as
   * many as the balance still holds if some were spent meanwhile.
   */
  async reverse(manager: EntityManager, orderId: string): Promise<ReverseResult> {
    const rows = await manager.find(PointMutation, {
      where: { referenceType: ORDER, referenceId: orderId, type: In([PointMutationType.EARN, PointMutationType.REDEEM]) },
      lock: { mode: "pessimistic_read" },
    });
    const result: ReverseResult = { returned: 0, takenBack: 0 };
    const redeemed = rows.find((row) => row.type === PointMutationType.REDEEM);
    const earned = rows.find((row) => row.type === PointMutationType.EARN);
    if (redeemed) {
      const applied = await this.ledger.credit(manager, this.reversalOf(redeemed, -redeemed.amount));
      if (applied.applied) result.returned = -redeemed.amount;
    }
    if (earned) {
      // Lock first so the amount taken back is what the balance really holds.
      const balance = await this.ledger.balanceOf(manager, earned.userId, true);
      const take = Math.min(earned.amount, balance);
      const entry = this.reversalOf(earned, take);
      if (take < earned.amount) entry.note += ` (${earned.amount - take} already spent)`;
      const applied: Applied | AlreadyApplied = await this.ledger.debit(manager, entry, { idempotent: true, allowZero: true });
      if (applied.applied) result.takenBack = take;
    }
    return result;
  }

  async balance(userId: string): Promise<number> {
    return this.ledger.balanceOf(this.dataSource.manager, userId);
  }

  /** Newest first, by ledger sequence. */
  mutations(userId: string, first: number, after?: string | null): Promise<Page<PointMutation>> {
    return ledgerPage(this.dataSource.getRepository(PointMutation), userId, first, after);
  }

  currentRules(): Promise<PointsRules> {
    return this.rules();
  }

  /** The cap rule alone: rupiah value of `points`, refused above the allowed share of the total. */
  private value(rules: PointsRules, points: number, orderTotal: number): PointsQuote {
    if (!Number.isSafeInteger(points) || points < 1) throw badInput("Points must be a whole number above zero", { field: "points" });
    if (!Number.isSafeInteger(orderTotal) || orderTotal < 0) throw badInput("Order total must be whole rupiah", { field: "orderTotal" });
    const rupiahValue = points * rules.pointValueRupiah;
    const cap = Number((BigInt(orderTotal) * BigInt(rules.maxRedeemShareBps)) / 10_000n);
    if (!Number.isSafeInteger(rupiahValue) || rupiahValue > cap) {
      const maxPoints = Math.floor(cap / rules.pointValueRupiah);
      throw badInput(`At most ${maxPoints} points can be used on this order`, { field: "points", maxPoints });
    }
    return { points, rupiahValue };
  }

  private reversalOf(row: PointMutation, amount: number) {
    return {
      userId: row.userId,
      amount,
      type: PointMutationType.REVERSAL,
      referenceType: "POINT_MUTATION",
      referenceId: row.id,
      note: `Reverses ${row.type} of order ${row.referenceId}`,
    };
  }
}
