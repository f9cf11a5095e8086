import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import { createDataSource, ensureDatabase } from "../../src/core/database";
import { AuditService } from "../../src/modules/audit/audit.service";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { BalanceMutationType as MutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { runLedgerChecks } from "../../src/ops/ledger-check";
import { recreateTestDatabase, siblingDatabaseUrl } from "../helpers/env";
import { createTestUser } from "../helpers/users";

const LEDGER_DB = siblingDatabaseUrl("ledger");

describe("check:ledger, the read-only invariant checker", function () {
  this.timeout(60_000);
  let dataSource: DataSource;
  let userId: string;

  before(async () => {
    await recreateTestDatabase(LEDGER_DB);
    dataSource = await createDataSource(await ensureDatabase(LEDGER_DB), 2).initialize();
    const wallet = new WalletService(dataSource, new AuditService(dataSource));
    userId = (await createTestUser(dataSource)).id;
    await dataSource.transaction((manager) =>
      wallet.credit(manager, { userId, amount: 50_000, type: MutationType.TOPUP, referenceType: "order", referenceId: ulid() }),
    );
    await dataSource.transaction((manager) =>
      wallet.debit(manager, { userId, amount: 20_000, type: MutationType.PURCHASE, referenceType: "order", referenceId: ulid() }),
    );
  });
  after(() => dataSource.destroy());

  const violated = async () => (await runLedgerChecks(dataSource)).filter((result) => result.violations > 0).map((result) => result.name);

  it("finds nothing wrong in a consistent ledger", async () => {
    expect(await violated()).to.deep.equal([]);
  });

  it("reports a balance that no longer equals its ledger, and nothing else", async () => {
    await dataSource.query("UPDATE wallets SET balance = balance + 1 WHERE user_id = ?", [userId]);
    try {
      expect(await violated()).to.deep.equal(["wallet balance = sum of its mutations"]);
    } finally {
      await dataSource.query("UPDATE wallets SET balance = balance - 1 WHERE user_id = ?", [userId]);
    }
  });

  it("reports a broken mutation chain", async () => {
    await dataSource.query("UPDATE balance_mutations SET balance_before = balance_before + 5, balance_after = balance_after + 5 WHERE user_id = ? AND seq = 2", [userId]);
    try {
      expect(await violated()).to.include("wallet mutations form an unbroken chain");
    } finally {
      await dataSource.query("UPDATE balance_mutations SET balance_before = balance_before - 5, balance_after = balance_after - 5 WHERE user_id = ? AND seq = 2", [userId]);
    }
  });

  it("reports a backward transition in the order log", async () => {
    await dataSource.query(
      "INSERT INTO order_transitions (id, order_id, from_status, to_status, actor, reason) VALUES (?, ?, 'SUCCESS', 'PROCESSING', 'test', 'corrupt')",
      [ulid(), ulid()],
    );
    expect(await violated()).to.deep.equal(["no backward or unknown transition in the order log"]);
  });
});
