import { expect } from "chai";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import type { Viewer } from "../../src/core/context";
import { Role } from "../../src/modules/identity/role";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { BalanceMutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { AuditService } from "../../src/modules/audit/audit.service";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { sharedStore } from "../helpers/store";
import { errorCode, gql } from "../helpers/graphql";
import { composedSchema, execAs } from "../helpers/as-viewer";
import { createTestUser } from "../helpers/users";
import { WALLET_TABLES, expectLedgerConsistent } from "../helpers/ledger";

const ADJUST = `mutation ($userId: ID!, $amount: SafeInt!, $reason: String!) {
  adjustWalletBalance(userId: $userId, amount: $amount, reason: $reason) { type amount balanceBefore balanceAfter seq note actorId }
}`;
const CASHBACK = `mutation ($userId: ID!, $on: Boolean!) { setCashbackMode(userId: $userId, on: $on) { userId balance cashbackMode } }`;

describe("Wallet over GraphQL: member views and audited admin changes", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let dataSource: DataSource;
  let schema: GraphQLSchema;
  let wallet: WalletService;
  let admin: Viewer;
  let billing: Viewer;
  let customer: { id: string; viewer: Viewer };

  before(async () => {
    store = await sharedStore();
    dataSource = store.infra.dataSource;
    schema = await composedSchema(store);
    wallet = new WalletService(dataSource, new AuditService());
    admin = (await createTestUser(dataSource, [Role.ADMIN])).viewer;
    billing = (await createTestUser(dataSource, [Role.BILLING])).viewer;
    customer = await createTestUser(dataSource);
  });

  const auditRows = (targetId: string) => dataSource.getRepository(ActivityLog).findBy({ targetType: "wallet", targetId });

  it("a guest over HTTP is UNAUTHENTICATED on every wallet field", async () => {
    const queries = [
      "{ myWallet { balance } }",
      "{ myWalletMutations { items { id } } }",
      `{ userWallet(userId: "${customer.id}") { balance } }`,
      `{ userWalletMutations(userId: "${customer.id}") { items { id } } }`,
    ];
    for (const query of queries) expect(errorCode(await gql(store.url!, query)), query).to.equal("UNAUTHENTICATED");
    const response = await gql(store.url!, ADJUST, { userId: customer.id, amount: 1000, reason: "free money" });
    expect(errorCode(response)).to.equal("UNAUTHENTICATED");
    expect((await wallet.view(customer.id)).balance).to.equal(0);
  });

  it("a customer is FORBIDDEN on admin wallet fields and changes nothing", async () => {
    const adjust = await execAs(schema, customer.viewer, ADJUST, { userId: customer.id, amount: 1_000_000, reason: "free money" });
    expect(adjust.code).to.equal("FORBIDDEN");
    expect((await execAs(schema, customer.viewer, CASHBACK, { userId: customer.id, on: true })).code).to.equal("FORBIDDEN");
    expect((await execAs(schema, customer.viewer, `{ userWallet(userId: "${customer.id}") { balance } }`)).code).to.equal("FORBIDDEN");
    expect(await wallet.view(customer.id)).to.deep.include({ balance: 0, cashbackMode: false });
    expect(await auditRows(customer.id)).to.have.length(0);
  });

  it("an admin adds and takes money with a reason; each change is audited with before/after", async () => {
    const user = await createTestUser(dataSource);
    const added = await execAs(schema, admin, ADJUST, { userId: user.id, amount: 25_000, reason: "Kompensasi gangguan" });
    expect(added.errors).to.equal(undefined);
    expect(added.data!.adjustWalletBalance).to.deep.include({
      type: "ADJUSTMENT", amount: 25_000, balanceBefore: 0, balanceAfter: 25_000, seq: 1, note: "Kompensasi gangguan",
    });
    const taken = await execAs(schema, billing, ADJUST, { userId: user.id, amount: -5_000, reason: "Koreksi salah input" });
    expect(taken.data!.adjustWalletBalance).to.deep.include({ amount: -5_000, balanceBefore: 25_000, balanceAfter: 20_000, seq: 2 });
    const log = await auditRows(user.id);
    expect(log.map((row) => row.action)).to.deep.equal(["wallet.adjust", "wallet.adjust"]);
    const adminId = (admin as { userId: string }).userId;
    expect(log.find((row) => row.actorId === adminId)!.after).to.deep.include({ balance: 25_000, amount: 25_000, reason: "Kompensasi gangguan" });
    await expectLedgerConsistent(dataSource, WALLET_TABLES, user.id);
  });

  it("a negative adjustment cannot take the balance below zero: BAD_USER_INPUT, nothing written or audited", async () => {
    const user = await createTestUser(dataSource);
    await execAs(schema, admin, ADJUST, { userId: user.id, amount: 1_000, reason: "Saldo awal" });
    const refused = await execAs(schema, admin, ADJUST, { userId: user.id, amount: -1_001, reason: "Terlalu banyak" });
    expect(refused.code).to.equal("BAD_USER_INPUT");
    expect((await wallet.view(user.id)).balance).to.equal(1_000);
    expect(await auditRows(user.id)).to.have.length(1);
    await expectLedgerConsistent(dataSource, WALLET_TABLES, user.id);
  });

  it("refuses a zero amount, a missing reason and an unknown user", async () => {
    const user = await createTestUser(dataSource);
    expect((await execAs(schema, admin, ADJUST, { userId: user.id, amount: 0, reason: "nol" })).code).to.equal("BAD_USER_INPUT");
    expect((await execAs(schema, admin, ADJUST, { userId: user.id, amount: 10, reason: "" })).code).to.equal("BAD_USER_INPUT");
    expect((await execAs(schema, admin, ADJUST, { userId: ulid(), amount: 10, reason: "siapa?" })).code).to.equal("NOT_FOUND");
    expect(await auditRows(user.id)).to.have.length(0);
  });

  it("an admin turns cashback mode on and off, audited; the member sees it in myWallet", async () => {
    const reseller = await createTestUser(dataSource);
    const on = await execAs(schema, admin, CASHBACK, { userId: reseller.id, on: true });
    expect(on.data!.setCashbackMode).to.deep.equal({ userId: reseller.id, balance: 0, cashbackMode: true });
    expect(await wallet.isCashbackMode(reseller.id)).to.equal(true);
    const mine = await execAs(schema, reseller.viewer, "{ myWallet { balance cashbackMode } }");
    expect(mine.data!.myWallet).to.deep.equal({ balance: 0, cashbackMode: true });
    await execAs(schema, admin, CASHBACK, { userId: reseller.id, on: false });
    const log = await auditRows(reseller.id);
    expect(log.map((row) => [row.action, row.before, row.after])).to.deep.equal([
      ["wallet.set_cashback_mode", { cashbackMode: false }, { cashbackMode: true }],
      ["wallet.set_cashback_mode", { cashbackMode: true }, { cashbackMode: false }],
    ]);
    expect((await execAs(schema, admin, CASHBACK, { userId: ulid(), on: true })).code).to.equal("NOT_FOUND");
  });

  it("a member reads only their own wallet and ledger; an admin reads anyone's", async () => {
    const member = await createTestUser(dataSource);
    const other = await createTestUser(dataSource);
    for (const [id, amount] of [[member.id, 30_000], [other.id, 99_000]] as const) {
      await dataSource.transaction((m) =>
        wallet.credit(m, { userId: id, amount, type: BalanceMutationType.TOPUP, referenceType: "ORDER", referenceId: ulid() }),
      );
    }
    const mine = await execAs(schema, member.viewer, "{ myWallet { balance } myWalletMutations(first: 10) { items { type amount balanceAfter } nextCursor } }");
    expect(mine.data).to.deep.equal({
      myWallet: { balance: 30_000 },
      myWalletMutations: { items: [{ type: "TOPUP", amount: 30_000, balanceAfter: 30_000 }], nextCursor: null },
    });
    const theirs = await execAs(schema, billing, `{ userWallet(userId: "${other.id}") { balance } userWalletMutations(userId: "${other.id}") { items { amount } } }`);
    expect(theirs.data).to.deep.equal({ userWallet: { balance: 99_000 }, userWalletMutations: { items: [{ amount: 99_000 }] } });
    expect((await execAs(schema, member.viewer, "{ myWalletMutations(first: 500) { nextCursor } }")).code).to.equal("BAD_USER_INPUT");
  });
});
