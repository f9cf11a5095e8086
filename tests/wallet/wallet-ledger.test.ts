import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import { AuditService } from "../../src/modules/audit/audit.service";
import { BalanceMutation, BalanceMutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { sharedStore } from "../helpers/store";
import { createTestUser } from "../helpers/users";
import { WALLET_TABLES, expectLedgerConsistent, settle } from "../helpers/ledger";

describe("Wallet ledger (invariant 2: never below zero, always the ledger sum)", function () {
  this.timeout(120_000);
  let dataSource: DataSource;
  let wallet: WalletService;

  before(async () => {
    dataSource = (await sharedStore()).infra.dataSource;
    wallet = new WalletService(dataSource, new AuditService());
  });

  const topUp = (userId: string, amount: number, referenceId = ulid()) =>
    dataSource.transaction((m) =>
      wallet.credit(m, { userId, amount, type: BalanceMutationType.TOPUP, referenceType: "ORDER", referenceId }),
    );
  const purchase = (userId: string, amount: number, referenceId = ulid()) =>
    dataSource.transaction((m) =>
      wallet.debit(m, { userId, amount, type: BalanceMutationType.PURCHASE, referenceType: "ORDER", referenceId }),
    );

  const entry = (mutationId: string) => dataSource.transaction((m) => wallet.entry(m, mutationId));

  it("creates the wallet at the first credit and records before/after", async () => {
    const { id } = await createTestUser(dataSource);
    expect(await wallet.view(id)).to.deep.equal({ userId: id, balance: 0, cashbackMode: false });
    const first = await topUp(id, 50_000);
    expect(first.applied).to.equal(true);
    expect(await entry(first.mutationId)).to.deep.equal({ balanceBefore: 0, balanceAfter: 50_000, seq: 1 });
    const second = await purchase(id, 12_500);
    expect(await entry(second.mutationId)).to.deep.equal({ balanceBefore: 50_000, balanceAfter: 37_500, seq: 2 });
    expect((await wallet.view(id)).balance).to.equal(37_500);
    await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
  });

  it("200 parallel debits that together exceed the balance: exactly the affordable ones succeed", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 1_000_000);
    // 200 × Rp 7.000 = Rp 1.400.000 asked of Rp 1.000.000: 142 fit (Rp 994.000), Rp 6.000 stays.
    const { ok, failed } = await settle(Array.from({ length: 200 }, () => purchase(id, 7_000)));
    expect(ok).to.have.length(142);
    expect(failed).to.have.length(58);
    expect(new Set(failed)).to.deep.equal(new Set(["BAD_USER_INPUT"]));
    const { balance, rows } = await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
    expect(balance).to.equal(6_000);
    expect(rows).to.equal(1 + 142);
    // every refused debit left nothing behind
    expect(await dataSource.getRepository(BalanceMutation).countBy({ userId: id, type: BalanceMutationType.PURCHASE })).to.equal(142);
  });

  it("parallel debits and credits interleave without breaking the chain", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 10_000);
    const tasks = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? topUp(id, 5_000) : purchase(id, 4_000)));
    const { failed } = await settle(tasks);
    expect(failed.filter((code) => code !== "BAD_USER_INPUT"), "no deadlock or internal error").to.deep.equal([]);
    await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
  });

  it("a debit the balance cannot cover is BAD_USER_INPUT and writes nothing, even if the caller commits", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 1_000);
    let code: string | undefined;
    await dataSource.transaction(async (m) => {
      try {
        await wallet.debit(m, { userId: id, amount: 1_001, type: BalanceMutationType.PURCHASE, referenceType: "ORDER", referenceId: ulid() });
      } catch (error) {
        code = (error as { extensions?: { code?: string } }).extensions?.code;
      }
    });
    expect(code).to.equal("BAD_USER_INPUT");
    expect((await wallet.view(id)).balance).to.equal(1_000);
    expect(await dataSource.getRepository(BalanceMutation).countBy({ userId: id })).to.equal(1);
    await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
  });

  it("a user without a wallet cannot be debited", async () => {
    const { id } = await createTestUser(dataSource);
    const { failed } = await settle([purchase(id, 1)]);
    expect(failed).to.deep.equal(["BAD_USER_INPUT"]);
    expect(await dataSource.getRepository(BalanceMutation).countBy({ userId: id })).to.equal(0);
  });

  it("rolls the debit back with the caller's transaction", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 5_000);
    const failing = dataSource.transaction(async (m) => {
      await wallet.debit(m, { userId: id, amount: 3_000, type: BalanceMutationType.PURCHASE, referenceType: "ORDER", referenceId: ulid() });
      throw new Error("supplier refused, order not created");
    });
    expect(await failing.catch((error: Error) => error.message)).to.equal("supplier refused, order not created");
    expect((await wallet.view(id)).balance).to.equal(5_000);
    await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
  });

  it("the same refund sent 20 times in parallel is credited once; later ones say 'already applied'", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 10_000);
    const orderId = ulid();
    await purchase(id, 8_000, orderId);
    const refund = () =>
      dataSource.transaction((m) =>
        wallet.credit(m, { userId: id, amount: 8_000, type: BalanceMutationType.REFUND, referenceType: "ORDER", referenceId: orderId }),
      );
    const { ok, failed } = await settle(Array.from({ length: 20 }, refund));
    expect(failed).to.deep.equal([]);
    expect(ok.filter((result) => result.applied)).to.have.length(1);
    expect(ok.filter((result) => !result.applied)).to.have.length(19);
    expect((await refund()).applied).to.equal(false);
    const { balance } = await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
    expect(balance).to.equal(10_000);
  });

  it("parallel first credits for a user without a wallet create one wallet", async () => {
    const { id } = await createTestUser(dataSource);
    const { failed } = await settle(Array.from({ length: 20 }, () => topUp(id, 1_000)));
    expect(failed).to.deep.equal([]);
    const { balance } = await expectLedgerConsistent(dataSource, WALLET_TABLES, id);
    expect(balance).to.equal(20_000);
  });

  it("charging the same order twice is CONFLICT", async () => {
    const { id } = await createTestUser(dataSource);
    await topUp(id, 10_000);
    const orderId = ulid();
    await purchase(id, 1_000, orderId);
    const { failed } = await settle([purchase(id, 1_000, orderId)]);
    expect(failed).to.deep.equal(["CONFLICT"]);
    expect((await wallet.view(id)).balance).to.equal(9_000);
  });

  it("refuses amounts that are not whole rupiah above zero", async () => {
    const { id } = await createTestUser(dataSource);
    const { failed } = await settle([topUp(id, 0), topUp(id, -5), topUp(id, 1.5), purchase(id, 0)]);
    expect(failed).to.deep.equal(["BAD_USER_INPUT", "BAD_USER_INPUT", "BAD_USER_INPUT", "BAD_USER_INPUT"]);
    expect(await dataSource.getRepository(BalanceMutation).countBy({ userId: id })).to.equal(0);
  });

  it("a credit for an unknown user is NOT_FOUND and writes nothing", async () => {
    const ghost = ulid();
    const { failed } = await settle([topUp(ghost, 1_000)]);
    expect(failed).to.deep.equal(["NOT_FOUND"]);
    expect(await dataSource.getRepository(BalanceMutation).countBy({ userId: ghost })).to.equal(0);
  });

  it("pages the ledger newest first by sequence", async () => {
    const { id } = await createTestUser(dataSource);
    for (let i = 1; i <= 5; i++) await topUp(id, i * 100);
    const first = await wallet.mutations(id, 2);
    expect(first.items.map((row) => row.seq)).to.deep.equal([5, 4]);
    const second = await wallet.mutations(id, 2, first.nextCursor);
    expect(second.items.map((row) => row.seq)).to.deep.equal([3, 2]);
    const last = await wallet.mutations(id, 2, second.nextCursor);
    expect(last.items.map((row) => row.seq)).to.deep.equal([1]);
    expect(last.nextCursor).to.equal(null);
  });
});
