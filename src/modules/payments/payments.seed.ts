import type { EntityManager } from "typeorm";
import { FeeBearer, PaymentMethod } from "./payment-method.entity";

/** Demo payment methods: Tripay QRIS and BCA VA (sandbox simulator) and a manual BCA transfer. */
export async function seedPayments(manager: EntityManager): Promise<void> {
  const methods: Partial<PaymentMethod>[] = [
    { code: "TRIPAY_QRIS", gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS", feeFlat: 750, feePercentBp: 70, feeBearer: FeeBearer.BUYER, minAmount: 1_000, maxAmount: 5_000_000, sort: 10 },
    { code: "TRIPAY_BCAVA", gateway: "TRIPAY", channel: "BCAVA", displayName: "BCA Virtual Account", feeFlat: 4_250, feePercentBp: 0, feeBearer: FeeBearer.BUYER, minAmount: 10_000, maxAmount: 10_000_000, sort: 20 },
    { code: "MIDTRANS_BCAVA", gateway: "MIDTRANS", channel: "bank_transfer:bca", displayName: "BCA VA (Midtrans)", feeFlat: 4_000, feePercentBp: 0, feeBearer: FeeBearer.BUYER, minAmount: 10_000, maxAmount: 50_000_000, sort: 30 },
    { code: "MIDTRANS_GOPAY", gateway: "MIDTRANS", channel: "gopay", displayName: "GoPay", feeFlat: 0, feePercentBp: 200, feeBearer: FeeBearer.BUYER, minAmount: 1_000, maxAmount: 2_000_000, sort: 35 },
    { code: "DUITKU_QRIS", gateway: "DUITKU", channel: "SP", displayName: "QRIS (Duitku)", feeFlat: 0, feePercentBp: 70, feeBearer: FeeBearer.BUYER, minAmount: 10_000, maxAmount: 5_000_000, sort: 40 },
    { code: "TOKOPAY_QRIS", gateway: "TOKOPAY", channel: "QRIS", displayName: "QRIS hemat (Tokopay)", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT, minAmount: 1_000, maxAmount: 5_000_000, sort: 5 },
    { code: "XENDIT_INVOICE", gateway: "XENDIT", channel: "INVOICE", displayName: "Xendit (all methods)", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT, minAmount: 10_000, maxAmount: 50_000_000, sort: 50 },
    { code: "WALLET", gateway: "WALLET", channel: "BALANCE", displayName: "Saldo Lapak", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT, minAmount: 1, maxAmount: 100_000_000, sort: 1 },
    { code: "MANUAL_BCA", gateway: "MANUAL", channel: "BCA", displayName: "Transfer BCA (manual)", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT, minAmount: 10_000, maxAmount: 50_000_000, sort: 90, instructions: "Transfer to BCA 123-456-7890 a.n. PT Lapak Demo, then upload the proof" },
  ];
  for (const method of methods) await manager.insert(PaymentMethod, Object.assign(new PaymentMethod(), { active: true, instructions: null, ...method }));
}
