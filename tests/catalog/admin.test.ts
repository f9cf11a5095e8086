import { expect } from "chai";
import { ulid } from "ulid";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, TEST_VIEWERS, type ViewerServer } from "../helpers/viewers";
import { errorCode, gql } from "../helpers/graphql";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { Category } from "../../src/modules/catalog/category.entity";
import { StoreSetting } from "../../src/modules/cms/store-setting.entity";
import { gameFixture } from "./fixtures";

const ADMIN_ID = (TEST_VIEWERS.admin as { userId: string }).userId;

describe("Admin changes to the catalog, prices and CMS", () => {
  let api: ViewerServer;
  before(async () => {
    api = await serveWithTestViewers(await sharedStore());
  });
  after(() => api.stop());

  const db = async () => (await sharedStore()).infra.dataSource;
  const auditRows = async (targetId: string) => (await db()).getRepository(ActivityLog).find({ where: { targetId }, order: { id: "ASC" } });

  it("refuses every admin mutation and admin query to customers (FORBIDDEN) and guests (UNAUTHENTICATED)", async () => {
    const { category, variants } = await gameFixture(api.services);
    const operations: [string, Record<string, unknown>][] = [
      [`mutation { saveCategory(input: { name: "X", slug: "x-${ulid().toLowerCase()}", type: GAME }) { id } }`, {}],
      [`mutation ($id: ID!) { deleteCategory(id: $id) }`, { id: category.id }],
      [`mutation ($v: ID!) { setVariantPrice(variantId: $v, levelCode: "RETAIL", price: 1) { price } }`, { v: variants[0].id }],
      [`mutation ($c: ID!) { saveMarkupRule(input: { categoryId: $c, levelCode: "RETAIL", percentBp: -9000, fixedAmount: 0 }) { id } }`, { c: category.id }],
      [`mutation { importCatalog(format: CSV, contentBase64: "", mode: GOOD_ROWS_ONLY) { importedRows } }`, {}],
      [`mutation { updateStoreSettings(input: { storeName: "Hacked" }) { storeName } }`, {}],
      [`mutation { saveFaq(input: { groupName: "a", question: "b", answer: "c" }) { id } }`, {}],
      [`{ exportCatalog(format: CSV) { contentBase64 } }`, {}],
      [`{ markupRules { id } }`, {}],
    ];
    for (const [query, variables] of operations) {
      expect(errorCode(await gql(api.url, query, variables, "member")), query).to.equal("FORBIDDEN");
      expect(errorCode(await gql(api.url, query, variables)), query).to.equal("UNAUTHENTICATED");
    }
    // cost and supplier fields are admin-only even on public types
    const product = await gql(api.url, `{ products(first: 1) { items { variants { costPrice supplierSku } } } }`, {}, "reseller");
    expect(errorCode(product)).to.equal("FORBIDDEN");
    expect((await api.services.settings.get()).storeName).to.not.equal("Hacked");
  });

  it("writes an audit row with the admin and the changed fields in the same transaction", async () => {
    const { product, variants } = await gameFixture(api.services, [10_000]);
    const response = await gql(api.url, `mutation ($id: ID!, $input: VariantInput!) { saveVariant(id: $id, input: $input) { costPrice } }`, {
      id: variants[0].id,
      input: { productId: product.id, name: variants[0].name, sku: variants[0].sku, kind: "SUPPLIER", supplier: variants[0].supplier, supplierSku: variants[0].supplierSku, costPrice: 12_000 },
    }, "admin");
    expect(response.data!.saveVariant.costPrice).to.equal(12_000);
    const rows = await auditRows(variants[0].id);
    expect(rows.map((r) => r.action)).to.deep.equal(["variant.create", "variant.update"]);
    expect(rows[1]).to.deep.include({ actorId: ADMIN_ID, targetType: "variant", before: { costPrice: 10_000 }, after: { costPrice: 12_000 } });
  });

  it("answers bad input with BAD_USER_INPUT and writes nothing (no row, no audit)", async () => {
    const repo = (await db()).getRepository(Category);
    const auditBefore = await (await db()).getRepository(ActivityLog).count();
    const before = await repo.count();
    for (const input of [
      `{ name: "Bad", slug: "Not A Slug", type: GAME }`,
      `{ name: "", slug: "ok-slug-${ulid().toLowerCase()}", type: GAME }`,
      `{ name: "Bad", slug: "ok-${ulid().toLowerCase()}", type: GAME, imageUrl: "javascript:alert(1)" }`,
    ]) {
      expect(errorCode(await gql(api.url, `mutation { saveCategory(input: ${input}) { id } }`, {}, "admin")), input).to.equal("BAD_USER_INPUT");
    }
    const badSettings = await gql(api.url, `mutation { updateStoreSettings(input: { storeName: "Toko Baru", orderExpiryMinutes: 1 }) { storeName } }`, {}, "admin");
    expect(errorCode(badSettings)).to.equal("BAD_USER_INPUT");
    expect(await repo.count()).to.equal(before);
    expect(await (await db()).getRepository(StoreSetting).count()).to.equal(0);
    expect(await (await db()).getRepository(ActivityLog).count()).to.equal(auditBefore);
  });

  it("store settings have typed defaults; an admin change is read back, audited and partial", async () => {
    const defaults = (await gql(api.url, `{ storeSettings { storeName orderExpiryMinutes pointsMaxRedeemShareBp walletMinTopup } }`)).data!.storeSettings;
    expect(defaults).to.deep.equal({ storeName: "Lapak", orderExpiryMinutes: 60, pointsMaxRedeemShareBp: 5000, walletMinTopup: 10_000 });
    const changed = await gql(api.url, `mutation { updateStoreSettings(input: { storeName: "Toko Game Jaya", orderExpiryMinutes: 30 }) { storeName orderExpiryMinutes walletMinTopup } }`, {}, "admin");
    expect(changed.data!.updateStoreSettings).to.deep.equal({ storeName: "Toko Game Jaya", orderExpiryMinutes: 30, walletMinTopup: 10_000 });
    expect((await api.services.settings.get()).orderExpiryMinutes).to.equal(30);
    const audit = await (await db()).getRepository(ActivityLog).findOneByOrFail({ action: "settings.update" });
    expect(audit).to.deep.include({ actorId: ADMIN_ID, before: { storeName: "Lapak", orderExpiryMinutes: 60 }, after: { storeName: "Toko Game Jaya", orderExpiryMinutes: 30 } });
  });

  it("CMS: scheduled banners show only inside their window; FAQs come grouped and sorted", async () => {
    const placement = `p${ulid().slice(-6).toLowerCase()}`;
    const save = (title: string, startsAt: string | null, endsAt: string | null, sort: number) =>
      gql(api.url, `mutation ($input: BannerInput!) { saveBanner(input: $input) { id } }`, { input: { title, imageUrl: "/b.jpg", placement, startsAt, endsAt, sort } }, "admin");
    const hour = 3600_000;
    await save("now", new Date(Date.now() - hour).toISOString(), new Date(Date.now() + hour).toISOString(), 2);
    await save("always", null, null, 1);
    await save("later", new Date(Date.now() + hour).toISOString(), null, 0);
    await save("over", null, new Date(Date.now() - hour).toISOString(), 0);
    const shown = await gql(api.url, `query ($p: String) { banners(placement: $p) { title } }`, { p: placement });
    expect(shown.data!.banners.map((b: { title: string }) => b.title)).to.deep.equal(["always", "now"]);

    const group = `G${ulid().slice(-6)}`;
    for (const [question, sort] of [["Kedua?", 20], ["Pertama?", 10]] as const) {
      await gql(api.url, `mutation ($input: FaqInput!) { saveFaq(input: $input) { id } }`, { input: { groupName: group, question, answer: "Ya.", sort } }, "admin");
    }
    const faqs = (await gql(api.url, `{ faqs { name items { question } } }`)).data!.faqs;
    expect(faqs.find((g: { name: string }) => g.name === group).items.map((i: { question: string }) => i.question)).to.deep.equal(["Pertama?", "Kedua?"]);

    await gql(api.url, `mutation { saveSeoMeta(input: { path: "product:mobile-legends", title: "Top Up ML Murah", canonicalUrl: "https://lapak.test/p/mobile-legends" }) { id } }`, {}, "admin");
    expect((await gql(api.url, `{ seoMeta(path: "product:mobile-legends") { title canonicalUrl } }`)).data!.seoMeta).to.deep.equal({ title: "Top Up ML Murah", canonicalUrl: "https://lapak.test/p/mobile-legends" });
  });
});
