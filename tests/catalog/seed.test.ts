import { expect } from "chai";
import { ensureDatabase } from "../../src/core/database";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { VariantPrice } from "../../src/modules/pricing/variant-price.entity";
import { siblingDatabaseUrl } from "../helpers/env";
import { startTestStore, stopStore } from "../helpers/store";
import { gql } from "../helpers/graphql";

const DIGIFLAZZ_SKUS = [
  "ML86", "ML172", "ML257", "FF70", "FF140", "GI60", "PUBG60", "TSEL10", "TSEL25", "TSEL50", "ISAT10", "ISAT25",
  "XL10", "XL25", "TSELDATA5GB", "XLDATA10GB", "PLN20", "PLN50", "PLN100", "DANA50", "OVO50", "GOPAY50",
];

describe("The demo catalog", function () {
  this.timeout(60_000);
  const url = siblingDatabaseUrl("catalog_seed");
  before(() => ensureDatabase(url, { recreate: true }));

  it("carries the Digiflazz fixture's SKUs, one variant of every other kind, and a price per level for every variant", async () => {
    const store = await startTestStore({ DATABASE_URL: url, SEED_DEMO: "true" });
    try {
      const { dataSource } = store.infra;
      const variants = await dataSource.getRepository(Variant).find();
      const supplierSkus = variants.filter((v) => v.kind === "SUPPLIER").map((v) => v.supplierSku).sort();
      expect(supplierSkus).to.deep.equal([...DIGIFLAZZ_SKUS].sort());
      expect(variants.filter((v) => v.kind === "SUPPLIER").every((v) => v.supplier === "digiflazz")).to.equal(true);
      for (const kind of ["STOCK", "INVITE", "PHYSICAL", "SUBSCRIPTION"]) expect(variants.filter((v) => v.kind === kind), kind).to.have.length(1);
      const prices = await dataSource.getRepository(VariantPrice).find();
      expect(prices).to.have.length(variants.length * 4);
      const cost = new Map(variants.map((v) => [v.id, v.costPrice]));
      for (const price of prices) expect(price.price).to.be.at.least(cost.get(price.variantId)!);

      // retail pays more than resellers; Mobile Legends builds customer_no from user id + zone id
      const ml = variants.find((v) => v.supplierSku === "ML86")!;
      const byLevel = new Map(prices.filter((p) => p.variantId === ml.id).map((p) => [p.levelCode, p.price]));
      expect(byLevel.get("RETAIL")).to.be.greaterThan(byLevel.get("MEMBER")!);
      expect(byLevel.get("MEMBER")).to.be.greaterThan(byLevel.get("RESELLER")!);
      const { services } = store.composition;
      const quote = await services.catalog.quote({ variantId: ml.id, quantity: 1, inputs: { userId: "12345678", zoneId: "2001" }, levelCode: "RETAIL" });
      expect(quote).to.deep.include({ customerNo: "123456782001", supplierSku: "ML86", unitPrice: byLevel.get("RETAIL") });

      const listing = await gql(store.url!, `{ products(first: 100) { items { slug } } banners { title } faqs { name } }`);
      expect(listing.data!.products.items.map((p: { slug: string }) => p.slug)).to.include.members(["mobile-legends", "token-pln", "pulsa-telkomsel", "dana"]);
      expect(listing.data!.banners.length).to.be.greaterThan(0);
    } finally {
      await stopStore(store);
    }
  });
});
