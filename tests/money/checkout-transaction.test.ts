import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import { AuditService } from "../../src/modules/audit/audit.service";
import { Role } from "../../src/modules/identity/role";
import { PointsService } from "../../src/modules/points/points.service";
import { VoucherKind, VoucherScope } from "../../src/modules/promotions/voucher.entity";
import { VoucherUsage } from "../../src/modules/promotions/voucher-usage.entity";
import { VoucherAdminService } from "../../src/modules/promotions/voucher-admin.service";
import { VoucherService } from "../../src/modules/promotions/voucher.service";
import { BalanceMutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { sharedStore } from "../helpers/store";
import { createTestUser } from "../helpers/users";
import { POINTS_TABLES, WALLET_TABLES, expectLedgerConsistent, settle } from "../helpers/ledger";

/**
 * How the checkout will use the three services: one transaction reserves the
 * voucher, redeems points and debits the wallet last. Whatever fails, the
 * whole order rolls back, and no limit or balance is ever crossed.
 */
describe("Voucher, points and wallet inside one checkout transaction", function () {
  this.timeout(60_000);
  let dataSource: DataSource;

  before(async () => {
    dataSource = (await sharedStore()).infra.dataSource;
  });

  it("60 parallel wallet checkouts by one member: all-or-nothing, no limit crossed, ledgers consistent", async () => {
    const audit = new AuditService();
    const wallet = new WalletService(dataSource, audit);
    const vouchers = new VoucherService(dataSource);
    const points = new PointsService(dataSource, async () => ({ rupiahPerPointEarned: 1000, pointValueRupiah: 10, maxRedeemShareBps: 5000 }));
    const adminId = (await createTestUser(dataSource, [Role.ADMIN])).id;
    const { voucher } = await new VoucherAdminService(dataSource, audit).create(
      { actorId: adminId },
      { code: `CO${Date.now().toString(36)}`, name: "Checkout", kind: VoucherKind.FIXED, value: 2_000, scope: VoucherScope.ALL, perUserLimit: 25, totalLimit: 40 },
    );
    const member = await createTestUser(dataSource);
    await dataSource.transaction((m) =>
      wallet.credit(m, { userId: member.id, amount: 200_000, type: BalanceMutationType.TOPUP, referenceType: "ORDER", referenceId: ulid() }),
    );
    await dataSource.transaction((m) => points.earn(m, { userId: member.id, orderId: ulid(), amountPaid: 1_000_000 })); // 1000 points

    // Each order: Rp10.000, Rp2.000 voucher, 100 points (Rp1.000), Rp7.000 from the wallet.
    const checkout = () =>
      dataSource.transaction(async (m) => {
        const orderId = ulid();
        const items = [{ productId: ulid(), categoryId: null, amount: 10_000 }];
        const { discount } = await vouchers.reserve(m, { code: voucher.code, userId: member.id, guestKey: null, orderId, subtotal: 10_000, items });
        const redeemed = await points.redeem(m, { userId: member.id, orderId, points: 100, orderTotal: 10_000 - discount });
        await wallet.debit(m, { userId: member.id, amount: 10_000 - discount - redeemed.rupiahValue, type: BalanceMutationType.PURCHASE, referenceType: "ORDER", referenceId: orderId });
        return orderId;
      });
    const { ok, failed } = await settle(Array.from({ length: 60 }, checkout));

    // Points run out first: 1000 points / 100 = 10 orders.
    expect(ok).to.have.length(10);
    expect(new Set(failed)).to.deep.equal(new Set(["BAD_USER_INPUT"]));
    const usages = await dataSource.getRepository(VoucherUsage).findBy({ voucherId: voucher.id });
    expect(usages.map((usage) => usage.orderId).sort()).to.deep.equal([...ok].sort());
    expect((await expectLedgerConsistent(dataSource, WALLET_TABLES, member.id)).balance).to.equal(200_000 - 10 * 7_000);
    expect((await expectLedgerConsistent(dataSource, POINTS_TABLES, member.id)).balance).to.equal(0);
  });
});
