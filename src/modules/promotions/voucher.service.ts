import { DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { badInput, conflict } from "../../core/errors";
import { affectedRows, sqlCode } from "../../core/ledger";
import { Voucher, VoucherScope } from "./voucher.entity";
import { VoucherCategory } from "./voucher-category.entity";
import { VoucherProduct } from "./voucher-product.entity";
import { VoucherUsage, VoucherUsageStatus } from "./voucher-usage.entity";
import { checkItems, checkLive, discountFor, normaliseCode, refuseVoucher, type VoucherItem } from "./voucher-rules";

export interface ReserveInput {
  code: string;
  /** The member, or null for a guest (then guestKey is required). */
  userId: string | null;
  /** The guest's email or WhatsApp number; the per-user limit counts it. */
  guestKey: string | null;
  orderId: string;
  subtotal: number;
  items: VoucherItem[];
}

export interface Reservation {
  voucherId: string;
  code: string;
  usageId: string;
  discount: number;
}

export interface MemberVoucher {
  voucher: Voucher;
  /** Uses by this member that count (RESERVED or USED). */
  usedByMe: number;
  /** null: unlimited. */
  remainingForMe: number | null;
}

const COUNTED = [VoucherUsageStatus.RESERVED, VoucherUsageStatus.USED];

/**
 * Voucher uses inside the checkout's transaction. Every rule is checked on
 * the voucher row locked FOR UPDATE, so total and per-user limits hold under
 * any concurrency; reservations of one voucher queue on that row.
 */
export class VoucherService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Reserves one use for an order and answers the discount; BAD_USER_INPUT (with a reason) when it cannot apply. */
  async reserve(manager: EntityManager, input: ReserveInput): Promise<Reservation> {
    checkItems(input.subtotal, input.items);
    const holderKey = holderOf(input);
    const voucher = await manager.findOne(Voucher, { where: { code: normaliseCode(input.code) }, lock: { mode: "pessimistic_write" } });
    if (!voucher) throw refuseVoucher("UNKNOWN", "Unknown voucher code");
    checkLive(voucher, this.clock());
    const discount = discountFor(voucher, input.items, await this.scopeIds(manager, voucher));
    if (voucher.totalLimit !== null && voucher.usedCount >= voucher.totalLimit) {
      throw refuseVoucher("EXHAUSTED", "This voucher has been fully used");
    }
    if (voucher.perUserLimit !== null && (await this.countUses(manager, voucher.id, holderKey)) >= voucher.perUserLimit) {
      throw refuseVoucher("PER_USER_LIMIT", "You have used this voucher as often as it allows");
    }
    const usageId = newId();
    try {
      await manager.insert(VoucherUsage, {
        id: usageId,
        voucherId: voucher.id,
        orderId: input.orderId,
        userId: input.userId,
        holderKey,
        discount,
        status: VoucherUsageStatus.RESERVED,
      });
    } catch (error) {
      if (sqlCode(error) === "ER_DUP_ENTRY") throw conflict("This order already has a voucher");
      throw error;
    }
    // Cannot miss while we hold the row; the condition is the limit's last line of defence.
    const counted = await manager.query(
      "UPDATE vouchers SET used_count = used_count + 1 WHERE id = ? AND (total_limit IS NULL OR used_count < total_limit)",
      [voucher.id],
    );
    if (affectedRows(counted) !== 1) {
      await manager.delete(VoucherUsage, { id: usageId });
      throw refuseVoucher("EXHAUSTED", "This voucher has been fully used");
    }
    return { voucherId: voucher.id, code: voucher.code, usageId, discount };
  }

  /** The order was paid: its reserved use becomes USED. Idempotent; false when there was nothing to mark. */
  async markUsed(manager: EntityManager, orderId: string): Promise<boolean> {
    const result = await manager.query("UPDATE voucher_usages SET status = ? WHERE order_id = ? AND status = ?", [
      VoucherUsageStatus.USED,
      orderId,
      VoucherUsageStatus.RESERVED,
    ]);
    return affectedRows(result) === 1;
  }

  /**
   * An expired or cancelled order gives its reserved use back, exactly once
   * (true when this call gave it back). Locks the voucher row before the usage
   * row, in the same order as reserve, so the two cannot deadlock.
   */
  async release(manager: EntityManager, orderId: string): Promise<boolean> {
    const usage = await manager.findOneBy(VoucherUsage, { orderId });
    if (!usage) return false;
    await manager.findOne(Voucher, { where: { id: usage.voucherId }, lock: { mode: "pessimistic_write" } });
    const released = await manager.query("UPDATE voucher_usages SET status = ? WHERE id = ? AND status = ?", [
      VoucherUsageStatus.RELEASED,
      usage.id,
      VoucherUsageStatus.RESERVED,
    ]);
    if (affectedRows(released) !== 1) return false;
    await manager.query("UPDATE vouchers SET used_count = used_count - 1 WHERE id = ? AND used_count > 0", [usage.voucherId]);
    return true;
  }

  /** Public vouchers a member can use now, with how often they used each. */
  async forMember(userId: string): Promise<MemberVoucher[]> {
    const now = this.clock();
    const vouchers = await this.dataSource
      .getRepository(Voucher)
      .createQueryBuilder("v")
      .where("v.active = 1 AND v.is_public = 1")
      .andWhere("(v.valid_from IS NULL OR v.valid_from <= :now) AND (v.valid_until IS NULL OR v.valid_until > :now)", { now })
      .andWhere("(v.total_limit IS NULL OR v.used_count < v.total_limit)")
      .orderBy("v.valid_until IS NULL", "ASC")
      .addOrderBy("v.valid_until", "ASC")
      .addOrderBy("v.id", "DESC")
      .take(100)
      .getMany();
    if (vouchers.length === 0) return [];
    const counts: { voucher_id: string; n: string }[] = await this.dataSource.query(
      "SELECT voucher_id, COUNT(*) AS n FROM voucher_usages WHERE holder_key = ? AND status IN (?, ?) AND voucher_id IN (?) GROUP BY voucher_id",
      [`user:${userId}`, ...COUNTED, vouchers.map((voucher) => voucher.id)],
    );
    const used = new Map(counts.map((row) => [row.voucher_id, Number(row.n)]));
    return vouchers.map((voucher) => {
      const usedByMe = used.get(voucher.id) ?? 0;
      const remainingForMe = voucher.perUserLimit === null ? null : Math.max(0, voucher.perUserLimit - usedByMe);
      return { voucher, usedByMe, remainingForMe };
    });
  }

  private async scopeIds(manager: EntityManager, voucher: Voucher): Promise<Set<string>> {
    if (voucher.scope === VoucherScope.CATEGORIES) {
      return new Set((await manager.findBy(VoucherCategory, { voucherId: voucher.id })).map((row) => row.categoryId));
    }
    if (voucher.scope === VoucherScope.PRODUCTS) {
      return new Set((await manager.findBy(VoucherProduct, { voucherId: voucher.id })).map((row) => row.productId));
    }
    return new Set();
  }

  /** A locking read sees every committed use, whatever the caller's snapshot. */
  private async countUses(manager: EntityManager, voucherId: string, holderKey: string): Promise<number> {
    const [row]: { n: string }[] = await manager.query(
      "SELECT COUNT(*) AS n FROM voucher_usages WHERE voucher_id = ? AND holder_key = ? AND status IN (?, ?) LOCK IN SHARE MODE",
      [voucherId, holderKey, ...COUNTED],
    );
    return Number(row.n);
  }
}

function holderOf(input: ReserveInput): string {
  if (input.userId) return `user:${input.userId}`;
  const guest = input.guestKey?.trim().toLowerCase();
  if (!guest) throw badInput("A guest voucher needs the buyer's email or WhatsApp", { field: "guestKey" });
  return `guest:${guest}`;
}
