import { expect } from "chai";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { pointsRulesFromSettings } from "../../src/modules/points/points.config";
import { PointMutation, PointMutationType } from "../../src/modules/points/point-mutation.entity";
import { PointsService } from "../../src/modules/points/points.service";
import { sharedStore } from "../helpers/store";
import { errorCode, gql } from "../helpers/graphql";
import { composedSchema, execAs } from "../helpers/as-viewer";
import { createTestUser } from "../helpers/users";
import { POINTS_TABLES, expectLedgerConsistent, settle } from "../helpers/ledger";

// One point per Rp1.000 paid; a point pays Rp10; points pay at most 20% of an order.
const RULES = { rupiahPerPointEarned: 1000, pointValueRupiah: 10, maxRedeemShareBps: 2000 };

describe("Points: earn, redeem within the cap, reverse exactly once", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let dataSource: DataSource;
  let points: PointsService;

  before(async () => {
    store = await sharedStore();
    dataSource = store.infra.dataSource;
    points = new PointsService(dataSource, async () => RULES);
  });

  const earn = (userId: string, amountPaid: number, orderId = ulid()) => dataSource.transaction((m) => points.earn(m, { userId, orderId, amountPaid }));
  const redeem = (userId: string, count: number, orderTotal: number, orderId = ulid()) =>
    dataSource.transaction((m) => points.redeem(m, { userId, orderId, points: count, orderTotal }));
  const reverse = (orderId: string) => dataSource.transaction((m) => points.reverse(m, orderId));
  const memberWith = async (earned: number) => {
    const user = await createTestUser(dataSource);
    await earn(user.id, earned * 1000);
    return user;
  };

  it("earns floor(amountPaid / rate) points once per order", async () => {
    const { id } = await createTestUser(dataSource);
    const orderId = ulid();
    expect(await earn(id, 125_999, orderId)).to.deep.equal({ points: 125, applied: true });
    expect(await earn(id, 125_999, orderId)).to.deep.equal({ points: 125, applied: false });
    expect(await earn(id, 999)).to.deep.equal({ points: 0, applied: false });
    expect(await points.balance(id)).to.equal(125);
    await expectLedgerConsistent(dataSource, POINTS_TABLES, id);
  });

  it("quotes a redemption and refuses one above the cap or above the balance", async () => {
    const { id } = await memberWith(500);
    expect(await points.quoteRedemption(id, 200, 10_000)).to.deep.equal({ points: 200, rupiahValue: 2_000 });
    const aboveCap = await points.quoteRedemption(id, 201, 10_000).catch((e) => e);
    expect(aboveCap.extensions).to.deep.include({ code: "BAD_USER_INPUT", maxPoints: 200 });
    const aboveBalance = await points.quoteRedemption(id, 501, 1_000_000).catch((e) => e);
    expect(aboveBalance.extensions).to.deep.include({ code: "BAD_USER_INPUT", balance: 500 });
    for (const bad of [0, -1, 1.5]) expect((await points.quoteRedemption(id, bad, 10_000).catch((e) => e)).extensions.code).to.equal("BAD_USER_INPUT");
  });

  it("redeem refuses the cap and the balance inside the transaction and writes nothing", async () => {
    const { id } = await memberWith(100);
    const { failed } = await settle([redeem(id, 101, 1_000_000), redeem(id, 51, 2_500)]);
    expect(failed).to.deep.equal(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
    expect(await points.balance(id)).to.equal(100);
    expect(await dataSource.getRepository(PointMutation).countBy({ userId: id })).to.equal(1);
  });

  it("50 parallel redemptions that together exceed the balance never take it below zero", async () => {
    const { id } = await memberWith(1_000);
    // 50 × 70 points = 3.500 asked of 1.000: 14 fit, 20 points stay.
    const { ok, failed } = await settle(Array.from({ length: 50 }, () => redeem(id, 70, 1_000_000)));
    expect(ok).to.have.length(14);
    expect(new Set(failed)).to.deep.equal(new Set(["BAD_USER_INPUT"]));
    const { balance } = await expectLedgerConsistent(dataSource, POINTS_TABLES, id);
    expect(balance).to.equal(20);
  });

  it("reverse gives redeemed points back and takes earned ones back exactly once, even in parallel", async () => {
    const { id } = await memberWith(300);
    const orderId = ulid();
    await redeem(id, 100, 100_000, orderId);
    await earn(id, 50_000, orderId); // +50
    expect(await points.balance(id)).to.equal(250);
    const { ok, failed } = await settle(Array.from({ length: 10 }, () => reverse(orderId)));
    expect(failed).to.deep.equal([]);
    expect(ok.filter((r) => r.returned > 0 || r.takenBack > 0)).to.deep.equal([{ returned: 100, takenBack: 50 }]);
    expect(await points.balance(id)).to.equal(300);
    expect(await reverse(orderId)).to.deep.equal({ returned: 0, takenBack: 0 });
    expect(await dataSource.getRepository(PointMutation).countBy({ userId: id, type: PointMutationType.REVERSAL })).to.equal(2);
    await expectLedgerConsistent(dataSource, POINTS_TABLES, id);
  });

  it("when earned points were already spent, reverse takes back only what is left, never below zero", async () => {
    const user = await createTestUser(dataSource);
    const orderId = ulid();
    await earn(user.id, 100_000, orderId); // 100 points
    await redeem(user.id, 80, 1_000_000); // spent on another order
    expect(await reverse(orderId)).to.deep.equal({ returned: 0, takenBack: 20 });
    expect(await points.balance(user.id)).to.equal(0);
    await earn(user.id, 5_000); // points earned later are not touched by a second reverse
    expect(await reverse(orderId)).to.deep.equal({ returned: 0, takenBack: 0 });
    expect(await points.balance(user.id)).to.equal(5);
    await expectLedgerConsistent(dataSource, POINTS_TABLES, user.id);
  });

  it("when every earned point was spent, reverse records a zero reversal so later points stay untouched", async () => {
    const user = await createTestUser(dataSource);
    const orderId = ulid();
    await earn(user.id, 30_000, orderId);
    await redeem(user.id, 30, 1_000_000);
    expect(await reverse(orderId)).to.deep.equal({ returned: 0, takenBack: 0 });
    await earn(user.id, 7_000);
    expect(await reverse(orderId)).to.deep.equal({ returned: 0, takenBack: 0 });
    expect(await points.balance(user.id)).to.equal(7);
    expect(await dataSource.getRepository(PointMutation).countBy({ userId: user.id, type: PointMutationType.REVERSAL })).to.equal(1);
    await expectLedgerConsistent(dataSource, POINTS_TABLES, user.id);
  });

  it("reads its rules from the store settings, so an admin change applies to the next earn without a restart", async () => {
    const settings = store.composition.services.settings;
    const fromSettings = new PointsService(dataSource, async (manager) => pointsRulesFromSettings(await settings.get(manager)));
    const admin = { userId: "01TESTADM1N000000000000000", ip: "127.0.0.1" };
    const defaults = await fromSettings.currentRules();
    expect(defaults).to.deep.equal({ rupiahPerPointEarned: 1000, pointValueRupiah: 1, maxRedeemShareBps: 5000 });
    const user = await createTestUser(dataSource);
    try {
      await settings.update(admin, { pointsEarnPerRupiah: 500, pointValueRupiah: 10, pointsMaxRedeemShareBp: 2000 });
      const earned = await dataSource.transaction((m) => fromSettings.earn(m, { userId: user.id, orderId: ulid(), amountPaid: 5_000 }));
      expect(earned).to.deep.equal({ points: 10, applied: true });
      // the cap follows the new share too: 20% of Rp100 is Rp20 = 2 points at Rp10
      await dataSource.transaction((m) => fromSettings.redeem(m, { userId: user.id, orderId: ulid(), points: 2, orderTotal: 100 }));
      const tooMany = await settle([dataSource.transaction((m) => fromSettings.redeem(m, { userId: user.id, orderId: ulid(), points: 3, orderTotal: 100 }))]);
      expect(tooMany.failed).to.deep.equal(["BAD_USER_INPUT"]);
      // the composed store reads the same settings (myPoints shows them)
      const schema = await composedSchema(store);
      const mine = await execAs(schema, user.viewer, "{ myPoints { rupiahPerPointEarned pointValueRupiah maxRedeemShareBps balance } }");
      expect(mine.data!.myPoints).to.deep.equal({ rupiahPerPointEarned: 500, pointValueRupiah: 10, maxRedeemShareBps: 2000, balance: 8 });
    } finally {
      await settings.update(admin, { pointsEarnPerRupiah: 1000, pointValueRupiah: 1, pointsMaxRedeemShareBp: 5000 });
    }
  });

  describe("myPoints over GraphQL", () => {
    let schema: GraphQLSchema;
    before(async () => {
      schema = await composedSchema(store);
    });

    it("a guest is UNAUTHENTICATED", async () => {
      expect(errorCode(await gql(store.url!, "{ myPoints { balance } }"))).to.equal("UNAUTHENTICATED");
    });

    it("a member sees their balance, the rules and their ledger, newest first", async () => {
      const user = await memberWith(40);
      await redeem(user.id, 10, 1_000_000);
      const mine = await execAs(schema, user.viewer, "{ myPoints(first: 1) { balance pointValueRupiah maxRedeemShareBps mutations { type amount balanceAfter seq } nextCursor } }");
      expect(mine.errors).to.equal(undefined);
      expect(mine.data!.myPoints).to.deep.include({ balance: 30, mutations: [{ type: "REDEEM", amount: -10, balanceAfter: 30, seq: 2 }], nextCursor: "2" });
      const rest = await execAs(schema, user.viewer, `{ myPoints(first: 5, after: "2") { mutations { type } nextCursor } }`);
      expect(rest.data!.myPoints).to.deep.equal({ mutations: [{ type: "EARN" }], nextCursor: null });
    });
  });
});
