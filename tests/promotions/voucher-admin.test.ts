import { expect } from "chai";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import type { Viewer } from "../../src/core/context";
import { Role } from "../../src/modules/identity/role";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { Voucher } from "../../src/modules/promotions/voucher.entity";
import { VoucherService } from "../../src/modules/promotions/voucher.service";
import { sharedStore } from "../helpers/store";
import { errorCode, gql } from "../helpers/graphql";
import { composedSchema, execAs } from "../helpers/as-viewer";
import { createTestUser } from "../helpers/users";

const FIELDS = "id code name kind value maxDiscount minSpend scope categoryIds productIds totalLimit usedCount perUserLimit active isPublic";
const CREATE = `mutation ($input: VoucherInput!) { createVoucher(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: VoucherInput!) { updateVoucher(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteVoucher(id: $id) }`;
const MINE = "{ myVouchers { code kind value usedByMe remainingForMe } }";

describe("Voucher administration and myVouchers over GraphQL", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let dataSource: DataSource;
  let schema: GraphQLSchema;
  let admin: Viewer;
  let customer: { id: string; viewer: Viewer };
  let n = 0;
  const code = () => `ADM${Date.now().toString(36)}${++n}`.toUpperCase();
  const input = (extra: Record<string, unknown> = {}) => ({ code: code(), name: "Promo", kind: "PERCENT", value: 1000, maxDiscount: 15_000, ...extra });
  const audit = (targetId: string) => dataSource.getRepository(ActivityLog).find({ where: { targetType: "voucher", targetId }, order: { id: "ASC" } });

  before(async () => {
    store = await sharedStore();
    dataSource = store.infra.dataSource;
    schema = await composedSchema(store);
    admin = (await createTestUser(dataSource, [Role.ADMIN])).viewer;
    customer = await createTestUser(dataSource);
  });

  it("a guest is UNAUTHENTICATED and a customer FORBIDDEN on voucher administration", async () => {
    expect(errorCode(await gql(store.url!, CREATE, { input: input() }))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(store.url!, MINE))).to.equal("UNAUTHENTICATED");
    const before = await dataSource.getRepository(Voucher).count();
    expect((await execAs(schema, customer.viewer, CREATE, { input: input() })).code).to.equal("FORBIDDEN");
    expect((await execAs(schema, customer.viewer, "{ vouchers { items { id } } }")).code).to.equal("FORBIDDEN");
    expect((await execAs(schema, (await createTestUser(dataSource, [Role.BILLING])).viewer, DELETE, { id: ulid() })).code).to.equal("FORBIDDEN");
    expect(await dataSource.getRepository(Voucher).count()).to.equal(before);
  });

  it("an admin creates, updates and deletes a voucher; every step is audited", async () => {
    const categoryId = ulid();
    const suffix = Date.now().toString(36);
    const created = await execAs(schema, admin, CREATE, { input: input({ code: ` hemat-${suffix} `, scope: "CATEGORIES", categoryIds: [categoryId], totalLimit: 50 }) });
    expect(created.errors).to.equal(undefined);
    const voucher = created.data!.createVoucher;
    expect(voucher).to.deep.include({ code: `HEMAT-${suffix.toUpperCase()}`, kind: "PERCENT", value: 1000, scope: "CATEGORIES", categoryIds: [categoryId], usedCount: 0, active: true, isPublic: false });

    const updated = await execAs(schema, admin, UPDATE, { id: voucher.id, input: input({ code: voucher.code, kind: "FIXED", value: 7_500, active: false }) });
    expect(updated.data!.updateVoucher).to.deep.include({ kind: "FIXED", value: 7_500, scope: "ALL", categoryIds: [], active: false });

    expect((await execAs(schema, admin, DELETE, { id: voucher.id })).data).to.deep.equal({ deleteVoucher: true });
    expect(await dataSource.getRepository(Voucher).countBy({ id: voucher.id })).to.equal(0);
    const log = await audit(voucher.id);
    expect(log.map((row) => row.action)).to.deep.equal(["voucher.create", "voucher.update", "voucher.delete"]);
    expect(log[1].before).to.deep.include({ kind: "PERCENT", active: true });
    expect(log[1].after).to.deep.include({ kind: "FIXED", active: false });
  });

  it("refuses bad vouchers with BAD_USER_INPUT and a taken code with CONFLICT, writing nothing", async () => {
    const before = await dataSource.getRepository(Voucher).count();
    const bad = [
      input({ value: 10_001 }),
      input({ kind: "FIXED", value: 0 }),
      input({ code: "a" }),
      input({ scope: "PRODUCTS", productIds: [] }),
      input({ scope: "PRODUCTS", productIds: ["not-a-catalog-id"] }),
      input({ categoryIds: [ulid()] }),
      input({ validFrom: "2026-12-01T00:00:00Z", validUntil: "2026-11-01T00:00:00Z" }),
      input({ totalLimit: 0 }),
      input({ minSpend: -1 }),
    ];
    for (const voucher of bad) expect((await execAs(schema, admin, CREATE, { input: voucher })).code, JSON.stringify(voucher)).to.equal("BAD_USER_INPUT");
    const taken = input();
    await execAs(schema, admin, CREATE, { input: taken });
    expect((await execAs(schema, admin, CREATE, { input: { ...taken, code: taken.code.toLowerCase() } })).code).to.equal("CONFLICT");
    expect(await dataSource.getRepository(Voucher).count()).to.equal(before + 1);
  });

  it("a used voucher cannot be deleted (deactivate it instead)", async () => {
    const created = (await execAs(schema, admin, CREATE, { input: input() })).data!.createVoucher;
    await dataSource.transaction((m) =>
      new VoucherService(dataSource).reserve(m, {
        code: created.code, userId: customer.id, guestKey: null, orderId: ulid(), subtotal: 10_000,
        items: [{ productId: ulid(), categoryId: null, amount: 10_000 }],
      }),
    );
    expect((await execAs(schema, admin, DELETE, { id: created.id })).code).to.equal("CONFLICT");
  });

  it("myVouchers lists live public vouchers with the member's own usage", async () => {
    const member = await createTestUser(dataSource);
    const open = (await execAs(schema, admin, CREATE, { input: input({ isPublic: true, perUserLimit: 2 }) })).data!.createVoucher;
    const hidden = (await execAs(schema, admin, CREATE, { input: input({ isPublic: false }) })).data!.createVoucher;
    const expired = (await execAs(schema, admin, CREATE, { input: input({ isPublic: true, validUntil: "2020-01-01T00:00:00Z" }) })).data!.createVoucher;
    await dataSource.transaction((m) =>
      new VoucherService(dataSource).reserve(m, {
        code: open.code, userId: member.id, guestKey: null, orderId: ulid(), subtotal: 10_000,
        items: [{ productId: ulid(), categoryId: null, amount: 10_000 }],
      }),
    );
    const mine = await execAs(schema, member.viewer, MINE);
    expect(mine.errors).to.equal(undefined);
    const codes = mine.data!.myVouchers.map((row: { code: string }) => row.code);
    expect(codes).to.include(open.code);
    expect(codes).not.to.include(hidden.code);
    expect(codes).not.to.include(expired.code);
    expect(mine.data!.myVouchers.find((row: { code: string }) => row.code === open.code)).to.deep.equal({
      code: open.code, kind: "PERCENT", value: 1000, usedByMe: 1, remainingForMe: 1,
    });
  });
});
