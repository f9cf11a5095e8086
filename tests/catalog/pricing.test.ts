import { expect } from "chai";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";
import { errorCode, gql } from "../helpers/graphql";
import { markupPrice } from "../../src/modules/pricing/price-math";
import { VariantPrice } from "../../src/modules/pricing/variant-price.entity";
import { ADMIN, gameFixture } from "./fixtures";

const PRODUCT = `query ($slug: String!) { productBySlug(slug: $slug) { variants { id price } } }`;

describe("Prices per member level", () => {
  let api: ViewerServer;
  before(async () => {
    api = await serveWithTestViewers(await sharedStore());
  });
  after(() => api.stop());

  it("markup is cost + percent + fixed, rounded UP to the step, never below cost", () => {
    expect(markupPrice(10_400, { percentBp: 500, fixedAmount: 500 }, 100)).to.equal(11_500); // 10400+520+500=11420 → 11500
    expect(markupPrice(10_400, { percentBp: 0, fixedAmount: 0 }, 100)).to.equal(10_400);
    expect(markupPrice(10_450, { percentBp: 0, fixedAmount: 0 }, 100)).to.equal(10_500);
    expect(markupPrice(10_400, { percentBp: -2000, fixedAmount: -500 }, 100)).to.equal(10_400);
    expect(markupPrice(10_401, { percentBp: 1, fixedAmount: 0 }, 1)).to.equal(10_403); // 1.0401 rounds up to 2
  });

  it("guest, member and reseller each see their own level's price; a pinned price wins", async () => {
    const { category, product, variants } = await gameFixture(api.services, [19_800]);
    const rules: [string, number, number][] = [["RETAIL", 1000, 500], ["MEMBER", 500, 300], ["RESELLER", 100, 0]];
    for (const [levelCode, percentBp, fixedAmount] of rules) {
      await api.services.pricing.upsertMarkupRule(ADMIN, { categoryId: category.id, levelCode, percentBp, fixedAmount });
    }
    const priceAs = async (token?: string) => (await gql(api.url, PRODUCT, { slug: product.slug }, token)).data!.productBySlug.variants[0].price;
    expect(await priceAs()).to.equal(22_300); // 19800 + 1980 + 500 = 22280 → 22300
    expect(await priceAs("customer")).to.equal(22_300);
    expect(await priceAs("member")).to.equal(21_100); // 19800 + 990 + 300 = 21090 → 21100
    expect(await priceAs("reseller")).to.equal(20_000); // 19800 + 198 = 19998 → 20000

    const pinned = await gql(api.url, `mutation ($v: ID!) { setVariantPrice(variantId: $v, levelCode: "MEMBER", price: 20500) { price pinnedPrice } }`, { v: variants[0].id }, "admin");
    expect(pinned.data!.setVariantPrice).to.deep.equal({ price: 20_500, pinnedPrice: 20_500 });
    expect(await priceAs("member")).to.equal(20_500);
    expect(await priceAs()).to.equal(22_300);
  });

  it("sell >= cost even with a negative or zero markup, and when cost rises past a pinned price", async () => {
    const { category, product, variants } = await gameFixture(api.services, [50_250]);
    await api.services.pricing.upsertMarkupRule(ADMIN, { categoryId: category.id, levelCode: "RESELLER", percentBp: -3000, fixedAmount: -1000 });
    await api.services.pricing.upsertMarkupRule(ADMIN, { categoryId: category.id, levelCode: "RETAIL", percentBp: 0, fixedAmount: 0 });
    await api.services.pricing.setPinnedPrice(ADMIN, variants[0].id, "MEMBER", 51_000);
    const rows = async () => api.services.pricing.variantPrices(variants[0].id);
    for (const row of await rows()) expect(row.price).to.be.at.least(50_250);
    expect((await rows()).find((r) => r.levelCode === "RESELLER")!.price).to.equal(50_300);

    await api.services.catalog.saveVariant(ADMIN, variants[0].id, { ...variants[0], costPrice: 52_000 });
    const after = await rows();
    for (const row of after) expect(row.price).to.be.at.least(52_000);
    expect(after.find((r) => r.levelCode === "MEMBER")).to.deep.include({ price: 52_000, pinnedPrice: 51_000 });
    expect((await gql(api.url, PRODUCT, { slug: product.slug }, "member")).data!.productBySlug.variants[0].price).to.equal(52_000);
  });

  it("refuses a pinned price below cost with BAD_USER_INPUT and writes nothing", async () => {
    const { variants } = await gameFixture(api.services, [10_000]);
    const store = await sharedStore();
    const before = await store.infra.dataSource.getRepository(VariantPrice).find({ where: { variantId: variants[0].id } });
    const response = await gql(api.url, `mutation ($v: ID!) { setVariantPrice(variantId: $v, levelCode: "VIP", price: 9999) { price } }`, { v: variants[0].id }, "admin");
    expect(errorCode(response)).to.equal("BAD_USER_INPUT");
    const unknownLevel = await gql(api.url, `mutation ($v: ID!) { setVariantPrice(variantId: $v, levelCode: "GOLD", price: 12000) { price } }`, { v: variants[0].id }, "admin");
    expect(errorCode(unknownLevel)).to.equal("BAD_USER_INPUT");
    expect(await store.infra.dataSource.getRepository(VariantPrice).find({ where: { variantId: variants[0].id } })).to.deep.equal(before);
  });
});
