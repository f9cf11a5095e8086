import type { EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { Voucher, VoucherKind, VoucherScope } from "./voucher.entity";

/** Two public demo vouchers a member can try at checkout. */
export async function seedPromotions(manager: EntityManager): Promise<void> {
  const base = { description: null, validFrom: null, validUntil: null, usedCount: 0, active: true, isPublic: true, scope: VoucherScope.ALL };
  await manager.insert(Voucher, [
    { ...base, id: newId(), code: "HEMAT10", name: "Hemat 10% (maks. Rp10.000)", kind: VoucherKind.PERCENT, value: 1000, maxDiscount: 10_000, minSpend: 20_000, totalLimit: 1000, perUserLimit: 1 },
    { ...base, id: newId(), code: "DISKON5K", name: "Potongan Rp5.000", kind: VoucherKind.FIXED, value: 5000, maxDiscount: null, minSpend: 50_000, totalLimit: null, perUserLimit: 3 },
  ]);
}
