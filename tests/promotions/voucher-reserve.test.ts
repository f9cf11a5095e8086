import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import { AuditService } from "../../src/modules/audit/audit.service";
import { Role } from "../../src/modules/identity/role";
import { Voucher, VoucherKind, VoucherScope } from "../../src/modules/promotions/voucher.entity";
import { VoucherUsage, VoucherUsageStatus } from "../../src/modules/promotions/voucher-usage.entity";
import { VoucherAdminService, type VoucherDraft } from "../../src/modules/promotions/voucher-admin.service";
import { VoucherService, type ReserveInput } from "../../src/modules/promotions/voucher.service";
import { sharedStore } from "../helpers/store";
import { createTestUser } from "../helpers/users";
import { settle } from "../helpers/ledger";

const PULSA = ulid(); // a catalog category id
const GAME = ulid();
const PRODUCT_A = ulid();
const PRODUCT_B = ulid();

describe("Vouchers at checkout (invariant 6: limits hold under any concurrency)", function () {
  this.timeout(60_000);
  let dataSource: DataSource;
  let vouchers: VoucherService;
  let admin: VoucherAdminService;
  let actorId: string;
  let counter = 0;

  before(async () => {
    dataSource = (await sharedStore()).infra.dataSource;
    vouchers = new VoucherService(dataSource);
    admin = new VoucherAdminService(dataSource, new AuditService());
    actorId = (await createTestUser(dataSource, [Role.ADMIN])).id;
  });

  const newVoucher = async (draft: Partial<VoucherDraft> = {}) => {
    const code = `T${Date.now().toString(36)}${++counter}`.toUpperCase();
    const detail = await admin.create({ actorId }, { code, name: "Test", kind: VoucherKind.FIXED, value: 5_000, scope: VoucherScope.ALL, ...draft });
    return detail.voucher;
  };
  const order = (code: string, extra: Partial<ReserveInput> = {}): ReserveInput => ({
    code,
    userId: null,
    guestKey: `buyer${++counter}@mail.test`,
    orderId: ulid(),
    subtotal: 100_000,
    items: [{ productId: PRODUCT_A, categoryId: PULSA, amount: 100_000 }],
    ...extra,
  });
  const reserve = (input: ReserveInput) =>
    dataSource.transaction(async (m) => {
      // A checkout reads before it reserves; that read fixes the transaction's snapshot.
      await m.query("SELECT COUNT(*) FROM voucher_usages");
      return vouchers.reserve(m, input);
    });
  const usedCount = async (id: string) => (await dataSource.getRepository(Voucher).findOneByOrFail({ id })).usedCount;
  const usages = (voucherId: string) => dataSource.getRepository(VoucherUsage).findBy({ voucherId });

  it("100 parallel reservations of a voucher limited to 10 succeed exactly 10 times", async () => {
    const voucher = await newVoucher({ totalLimit: 10 });
    const { ok, failed } = await settle(Array.from({ length: 100 }, () => reserve(order(voucher.code))));
    expect(ok).to.have.length(10);
    expect(failed).to.have.length(90);
    expect(new Set(failed)).to.deep.equal(new Set(["BAD_USER_INPUT"]));
    expect(await usedCount(voucher.id)).to.equal(10);
    expect(await usages(voucher.id)).to.have.length(10);
  });

  it("the per-user limit holds when one buyer sends 30 orders in parallel", async () => {
    const voucher = await newVoucher({ perUserLimit: 2, totalLimit: 100 });
    const member = await createTestUser(dataSource);
    const guestKey = "Siti@Mail.test";
    const memberTries = Array.from({ length: 30 }, () => reserve(order(voucher.code, { userId: member.id, guestKey: null })));
    // the same guest contact, written differently, counts as one buyer
    const guestTries = Array.from({ length: 30 }, (_, i) => reserve(order(voucher.code, { guestKey: i % 2 ? guestKey : ` siti@mail.TEST ` })));
    const [members, guests] = await Promise.all([settle(memberTries), settle(guestTries)]);
    expect(members.ok).to.have.length(2);
    expect(guests.ok).to.have.length(2);
    expect(new Set([...members.failed, ...guests.failed])).to.deep.equal(new Set(["BAD_USER_INPUT"]));
    expect(await usedCount(voucher.id)).to.equal(4);
  });

  it("release gives a use back exactly once, even when called in parallel; markUsed keeps it", async () => {
    const voucher = await newVoucher({ totalLimit: 1 });
    const first = order(voucher.code);
    await reserve(first);
    expect((await settle([reserve(order(voucher.code))])).failed).to.deep.equal(["BAD_USER_INPUT"]);

    const releases = await settle(Array.from({ length: 10 }, () => dataSource.transaction((m) => vouchers.release(m, first.orderId))));
    expect(releases.failed).to.deep.equal([]);
    expect(releases.ok.filter(Boolean)).to.have.length(1);
    expect(await usedCount(voucher.id)).to.equal(0);

    const second = order(voucher.code);
    await reserve(second);
    expect(await dataSource.transaction((m) => vouchers.markUsed(m, second.orderId))).to.equal(true);
    expect(await dataSource.transaction((m) => vouchers.markUsed(m, second.orderId))).to.equal(false);
    expect(await dataSource.transaction((m) => vouchers.release(m, second.orderId))).to.equal(false);
    expect(await usedCount(voucher.id)).to.equal(1);
    const statuses = (await usages(voucher.id)).map((usage) => usage.status).sort();
    expect(statuses).to.deep.equal([VoucherUsageStatus.RELEASED, VoucherUsageStatus.USED]);
  });

  it("a released use lets the same buyer use a per-user-limited voucher again", async () => {
    const voucher = await newVoucher({ perUserLimit: 1 });
    const first = order(voucher.code, { guestKey: "once@mail.test" });
    await reserve(first);
    expect((await settle([reserve(order(voucher.code, { guestKey: "once@mail.test" }))])).failed).to.deep.equal(["BAD_USER_INPUT"]);
    await dataSource.transaction((m) => vouchers.release(m, first.orderId));
    await reserve(order(voucher.code, { guestKey: "once@mail.test" }));
  });

  it("refuses expired, not-yet-valid, inactive, unknown, below-min-spend and out-of-scope vouchers with BAD_USER_INPUT, writing nothing", async () => {
    const hour = 3600_000;
    const cases: [string, Partial<VoucherDraft>, Partial<ReserveInput>][] = [
      ["EXPIRED", { validFrom: new Date(Date.now() - 2 * hour), validUntil: new Date(Date.now() - hour) }, {}],
      ["NOT_YET_VALID", { validFrom: new Date(Date.now() + hour) }, {}],
      ["INACTIVE", { active: false }, {}],
      ["MIN_SPEND", { minSpend: 100_001 }, {}],
      ["OUT_OF_SCOPE", { scope: VoucherScope.CATEGORIES, categoryIds: [GAME] }, {}],
      ["OUT_OF_SCOPE", { scope: VoucherScope.PRODUCTS, productIds: [PRODUCT_B] }, {}],
    ];
    for (const [reason, draft, input] of cases) {
      const voucher = await newVoucher(draft);
      const error = await reserve(order(voucher.code, input)).catch((e) => e);
      expect(error.extensions, reason).to.deep.include({ code: "BAD_USER_INPUT", reason });
      expect(await usedCount(voucher.id)).to.equal(0);
      expect(await usages(voucher.id)).to.have.length(0);
    }
    const unknown = await reserve(order("NO-SUCH-CODE")).catch((e) => e);
    expect(unknown.extensions).to.deep.include({ code: "BAD_USER_INPUT", reason: "UNKNOWN" });
  });

  it("computes the discount: percent floored and capped, fixed capped by the eligible amount, scope picks the lines", async () => {
    const percent = await newVoucher({ kind: VoucherKind.PERCENT, value: 1250, maxDiscount: 10_000 });
    expect((await reserve(order(percent.code, { subtotal: 33_333, items: [{ productId: PRODUCT_A, categoryId: PULSA, amount: 33_333 }] }))).discount).to.equal(4_166);
    expect((await reserve(order(percent.code, { subtotal: 500_000, items: [{ productId: PRODUCT_A, categoryId: PULSA, amount: 500_000 }] }))).discount).to.equal(10_000);

    const fixed = await newVoucher({ kind: VoucherKind.FIXED, value: 50_000 });
    expect((await reserve(order(fixed.code, { subtotal: 20_000, items: [{ productId: PRODUCT_A, categoryId: PULSA, amount: 20_000 }] }))).discount).to.equal(20_000);

    const games = await newVoucher({ kind: VoucherKind.PERCENT, value: 1000, scope: VoucherScope.CATEGORIES, categoryIds: [GAME], minSpend: 30_000 });
    const cart = {
      subtotal: 90_000,
      items: [
        { productId: PRODUCT_A, categoryId: PULSA, amount: 50_000 },
        { productId: PRODUCT_B, categoryId: GAME, amount: 40_000 },
      ],
    };
    expect((await reserve(order(games.code.toLowerCase(), cart))).discount).to.equal(4_000);
  });

  it("refuses inconsistent input from the checkout and a second voucher on one order", async () => {
    const voucher = await newVoucher();
    const bad = [
      order(voucher.code, { subtotal: 99_999 }),
      order(voucher.code, { items: [] }),
      order(voucher.code, { guestKey: null }),
      order(voucher.code, { subtotal: 1.5, items: [{ productId: PRODUCT_A, categoryId: null, amount: 1.5 }] }),
    ];
    for (const input of bad) expect((await reserve(input).catch((e) => e)).extensions.code).to.equal("BAD_USER_INPUT");
    const input = order(voucher.code);
    await reserve(input);
    const other = await newVoucher();
    expect((await reserve({ ...input, code: other.code }).catch((e) => e)).extensions.code).to.equal("CONFLICT");
    expect(await usedCount(other.id)).to.equal(0);
    expect(await usedCount(voucher.id)).to.equal(1);
  });
});
