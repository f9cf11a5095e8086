import { expect } from "chai";
import { ulid } from "ulid";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";
import { gql } from "../helpers/graphql";
import { countRequestStatements } from "../helpers/statements";
import { registerAccount } from "../helpers/identity";
import { CatalogCache, loadCatalogCacheTtl } from "../../src/modules/catalog/catalog-cache";
import { CategoryType, FulfilmentKind } from "../../src/modules/catalog/catalog.enums";
import { ADMIN, gameFixture } from "./fixtures";

const LISTING = `query ($first: Int!, $after: String, $filter: ProductFilterInput) {
  products(first: $first, after: $after, filter: $filter) {
    items { id name slug category { slug type } variants { id name kind price } }
    endCursor hasNextPage
  }
}`;

describe("The public product listing", function () {
  this.timeout(60_000);
  let api: ViewerServer;
  let categorySlug: string;

  before(async () => {
    const store = await sharedStore();
    api = await serveWithTestViewers(store);
    // 110 products with 3 variants each, in a category of their own
    const tag = ulid().slice(-8).toLowerCase();
    categorySlug = `listing-${tag}`;
    const category = await api.services.catalog.saveCategory(ADMIN, null, { name: "Listing", slug: categorySlug, type: CategoryType.PULSA });
    const csv = ["category_slug,product_slug,product_name,variant_sku,variant_name,kind,supplier,supplier_sku,cost_price,stock,active,sort"];
    for (let p = 0; p < 110; p += 1) {
      for (let v = 0; v < 3; v += 1) csv.push(`${categorySlug},p-${tag}-${p},Produk ${p},L${tag}${p}V${v},Varian ${v},SUPPLIER,digiflazz,L${tag}${p}V${v},${10_000 + v * 1000},,true,${v}`);
    }
    const report = await api.services.catalogImport.importCatalog(ADMIN, { format: "CSV" as never, contentBase64: Buffer.from(csv.join("\n")).toString("base64"), mode: "ALL_OR_NOTHING" as never });
    expect(report.errors).to.deep.equal([]);
    expect(category.id).to.be.a("string");
  });
  after(() => api.stop());

  const countStatements = async (run: () => Promise<unknown>) => countRequestStatements((await sharedStore()).infra.dataSource, run);

  it("costs the same small number of SQL statements at 10, 50 and 100 products per page (cold cache)", async () => {
    const counts: number[] = [];
    for (const first of [10, 50, 100]) {
      await api.services.catalogCache.invalidate(); // cold: every read goes to MySQL
      counts.push(
        await countStatements(async () => {
          const response = await gql(api.url, LISTING, { first, filter: { categorySlug } }, "member");
          expect(response.errors).to.equal(undefined);
          expect(response.data!.products.items).to.have.length(first);
          for (const item of response.data!.products.items) {
            expect(item.variants).to.have.length(3);
            for (const variant of item.variants) expect(variant.price).to.be.a("number");
          }
        }),
      );
    }
    expect(counts[0]).to.be.at.most(4);
    expect(counts).to.deep.equal([counts[0], counts[0], counts[0]]);
    // warm: the same page again comes from Redis
    expect(await countStatements(() => gql(api.url, LISTING, { first: 100, filter: { categorySlug } }, "member"))).to.equal(0);
  });

  it("costs at most 4 statements end to end for a signed-in member, sign-in included (session verified before)", async () => {
    const store = await sharedStore();
    const member = await registerAccount(store.url!, "lister");
    await gql(store.url!, "{ serverInfo { name } }", {}, member.accessToken);
    for (const first of [10, 100]) {
      await api.services.catalogCache.invalidate();
      const count = await countStatements(async () => {
        const response = await gql(store.url!, LISTING, { first, filter: { categorySlug } }, member.accessToken);
        expect(response.data!.products.items).to.have.length(first);
      });
      expect(count, `${first} per page`).to.be.at.most(4);
    }
  });

  it("pages with a cursor through every product exactly once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response = await gql(api.url, LISTING, { first: 40, after, filter: { categorySlug } });
      const page: { items: { id: string }[]; endCursor: string | null; hasNextPage: boolean } = response.data!.products;
      seen.push(...page.items.map((item) => item.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).to.have.length(110);
    expect(new Set(seen).size).to.equal(110);
  });

  it("filters by search text, category type and fulfilment kind", async () => {
    const { product } = await gameFixture(api.services);
    const bySearch = await gql(api.url, LISTING, { first: 10, filter: { search: product.name } });
    expect(bySearch.data!.products.items.map((i: { id: string }) => i.id)).to.deep.equal([product.id]);
    const byType = await gql(api.url, LISTING, { first: 100, filter: { type: "GAME", search: product.name } });
    expect(byType.data!.products.items).to.have.length(1);
    const wrongKind = await gql(api.url, LISTING, { first: 10, filter: { kind: FulfilmentKind.STOCK, search: product.name } });
    expect(wrongKind.data!.products.items).to.have.length(0);
  });

  it("shows an admin's edit on the very next read (cache invalidated)", async () => {
    const { product, variants } = await gameFixture(api.services, [20_000]);
    const read = () => gql(api.url, `query ($s: String!) { productBySlug(slug: $s) { name variants { name price } } }`, { s: product.slug });
    const first = (await read()).data!.productBySlug;
    expect((await read()).data!.productBySlug).to.deep.equal(first); // cached
    await gql(api.url, `mutation ($id: ID!, $input: ProductInput!) { saveProduct(id: $id, input: $input) { id } }`, {
      id: product.id,
      input: { name: "Mobile Legends Baru", slug: product.slug, categoryId: product.categoryId, inputSchema: product.inputSchema, customerNoTemplate: product.customerNoTemplate },
    }, "admin");
    expect((await read()).data!.productBySlug.name).to.equal("Mobile Legends Baru");
    await api.services.catalog.saveVariant(ADMIN, variants[0].id, { ...variants[0], name: "Paket Hemat", costPrice: 30_000 });
    const after = (await read()).data!.productBySlug;
    expect(after.variants[0]).to.deep.equal({ name: "Paket Hemat", price: 30_000 });
  });
});

describe("CATALOG_CACHE_TTL_SECONDS=0 (catalog cache off)", () => {
  it("loads on every read and writes nothing to Redis", async () => {
    const { redis } = (await sharedStore()).infra;
    const prefix = `cache-off-${ulid()}`;
    const cache = new CatalogCache(redis, prefix, loadCatalogCacheTtl({ CATALOG_CACHE_TTL_SECONDS: "0" }));
    let loads = 0;
    expect(await cache.getOrLoad("page", { first: 10 }, async () => ++loads)).to.equal(1);
    expect(await cache.getOrLoad("page", { first: 10 }, async () => ++loads)).to.equal(2);
    const fetched: string[][] = [];
    const fetch = async (ids: string[]) => (fetched.push(ids), new Map(ids.filter((id) => id !== "missing").map((id) => [id, id.toUpperCase()])));
    expect(await cache.loadMany("v", ["a", "missing"], fetch)).to.deep.equal(["A", null]);
    expect(await cache.loadMany("v", ["a", "missing"], fetch)).to.deep.equal(["A", null]);
    expect(fetched).to.deep.equal([["a", "missing"], ["a", "missing"]]);
    expect(await redis.keys(`${prefix}:*`)).to.deep.equal([]);
    expect(loadCatalogCacheTtl({})).to.equal(600);
  });
});
