import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { Voucher, VoucherKind, VoucherScope } from "../../src/modules/promotions/voucher.entity";
import { BalanceMutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { PointsService } from "../../src/modules/points/points.service";
import { pointsRulesFromSettings } from "../../src/modules/points/points.config";
import { gql, type GraphQLResponse } from "../helpers/graphql";
import { gameFixture } from "../catalog/fixtures";
import { createMethod } from "../payments/fixtures";

export const CHECKOUT = `mutation ($input: CheckoutInputType!) { checkout(input: $input) {
  trackingToken alreadyPaid paymentError
  order { id invoiceNumber status subtotal voucherDiscount pointsUsed pointsValue paymentFee total items { variantId quantity unitPrice customerNo } }
  payment { reference methodCode amountToPay expiresAt instructions { payUrl vaNumber qrString paymentCode text } }
} }`;

export const GUEST_CONTACT = () => ({ name: "Sari", email: `sari.${ulid().toLowerCase()}@example.test` });
export const ML_INPUTS = { userId: "123456", zoneId: "7890" };

export function checkout(store: RunningStore, input: Record<string, unknown>, token?: string): Promise<GraphQLResponse> {
  return gql(store.url!, CHECKOUT, { input }, token);
}

/** A sellable Mobile-Legends-like variant (cost 19,800). */
export async function sellable(store: RunningStore) {
  const { variants, product } = await gameFixture(store.composition.services, [19_800, 39_400]);
  return { variant: variants[0], other: variants[1], product };
}

/** Test set-up only: a wallet balance (ledger row + balance), as a top-up would leave it. */
export async function fundWallet(store: RunningStore, userId: string, amount: number): Promise<void> {
  const wallet = new WalletService(store.infra.dataSource, store.composition.services.audit);
  await store.infra.dataSource.transaction((m) =>
    wallet.credit(m, { userId, amount, type: BalanceMutationType.TOPUP, referenceType: "TEST", referenceId: ulid() }),
  );
}

/** Test set-up only: points as if earned on an earlier order. */
export async function givePoints(store: RunningStore, userId: string, amountPaid: number): Promise<void> {
  const points = new PointsService(store.infra.dataSource, async () => pointsRulesFromSettings(await store.composition.services.settings.get()));
  await store.infra.dataSource.transaction((m) => points.earn(m, { userId, orderId: ulid(), amountPaid }));
}

export async function walletMethod(store: RunningStore): Promise<string> {
  return createMethod(store, { gateway: "WALLET", channel: "BALANCE", displayName: "Saldo", minAmount: 1, maxAmount: 100_000_000 });
}

export async function manualMethod(store: RunningStore): Promise<string> {
  return createMethod(store, { gateway: "MANUAL", channel: "BCA", displayName: "Transfer BCA", minAmount: 1, maxAmount: 100_000_000, instructions: "Transfer to BCA 123" });
}

/** Test set-up only: a voucher row (the admin API is tested in tests/promotions). */
export async function makeVoucher(store: RunningStore, fields: Partial<Voucher> = {}): Promise<Voucher> {
  const voucher = Object.assign(new Voucher(), {
    id: ulid(),
    code: `T${ulid().slice(-10)}`,
    name: "Test voucher",
    description: null,
    kind: VoucherKind.FIXED,
    value: 1_000,
    maxDiscount: null,
    minSpend: 0,
    scope: VoucherScope.ALL,
    validFrom: null,
    validUntil: null,
    totalLimit: null,
    usedCount: 0,
    perUserLimit: null,
    active: true,
    isPublic: true,
    ...fields,
  });
  await store.infra.dataSource.getRepository(Voucher).insert(voucher);
  return voucher;
}

export async function rowCounts(store: RunningStore, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await store.infra.dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
    counts[table] = Number(row.n);
  }
  return counts;
}
