import { badInput } from "../../core/errors";
import { Voucher, VoucherKind, VoucherScope } from "./voucher.entity";

/** One line of the order as the checkout priced it (server prices only). */
export interface VoucherItem {
  productId: string;
  categoryId: string | null;
  /** Rupiah this line costs (unit price × quantity). */
  amount: number;
}

const refuse = (reason: string, message: string) => badInput(message, { field: "voucherCode", reason });

/** Upper-cased and trimmed: codes are case-insensitive. */
export const normaliseCode = (code: string) => code.trim().toUpperCase();

/** Whether the voucher can be used at `now`, ignoring limits; throws BAD_USER_INPUT with a reason. */
export function checkLive(voucher: Voucher, now: Date): void {
  if (!voucher.active) throw refuse("INACTIVE", "This voucher is not active");
  if (voucher.validFrom && voucher.validFrom > now) throw refuse("NOT_YET_VALID", "This voucher is not valid yet");
  if (voucher.validUntil && voucher.validUntil <= now) throw refuse("EXPIRED", "This voucher has expired");
}

/**
 * The discount in rupiah for these items: the scope picks the eligible lines,
 * min spend applies to the eligible amount, PERCENT is floored, then capped by
 * max discount and by the eligible amount itself. Integer math only.
 */
export function discountFor(voucher: Voucher, items: VoucherItem[], scopeIds: ReadonlySet<string>): number {
  const eligible = items
    .filter((item) =>
      voucher.scope === VoucherScope.ALL ||
      (voucher.scope === VoucherScope.CATEGORIES && item.categoryId !== null && scopeIds.has(item.categoryId)) ||
      (voucher.scope === VoucherScope.PRODUCTS && scopeIds.has(item.productId)),
    )
    .reduce((sum, item) => sum + item.amount, 0);
  if (eligible === 0) throw refuse("OUT_OF_SCOPE", "This voucher does not apply to these items");
  if (eligible < voucher.minSpend) {
    throw refuse("MIN_SPEND", `Spend at least Rp${voucher.minSpend} on eligible items to use this voucher`);
  }
  let discount =
    voucher.kind === VoucherKind.PERCENT ? Number((BigInt(eligible) * BigInt(voucher.value)) / 10_000n) : voucher.value;
  if (voucher.maxDiscount !== null) discount = Math.min(discount, voucher.maxDiscount);
  discount = Math.min(discount, eligible);
  if (discount < 1) throw refuse("NO_DISCOUNT", "This order is too small for this voucher");
  return discount;
}

/** Checks what the checkout passes in; money must be whole rupiah and add up. */
export function checkItems(subtotal: number, items: VoucherItem[]): void {
  if (items.length === 0) throw badInput("An order needs at least one item");
  for (const item of items) {
    if (!Number.isSafeInteger(item.amount) || item.amount < 0) throw badInput("Item amounts must be whole rupiah");
  }
  const sum = items.reduce((total, item) => total + item.amount, 0);
  if (!Number.isSafeInteger(subtotal) || sum !== subtotal) throw badInput("Item amounts must add up to the subtotal");
}

export const refuseVoucher = refuse;
