import { expect } from "chai";
import { ulid } from "ulid";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";
import { Category } from "../../src/modules/catalog/category.entity";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { CategoryType, FulfilmentKind } from "../../src/modules/catalog/catalog.enums";
import type { AppError } from "../../src/core/errors";
import { ADMIN, gameFixture } from "./fixtures";

describe("Concurrency in the catalog", () => {
  let api: ViewerServer;
  before(async () => {
    api = await serveWithTestViewers(await sharedStore());
  });
  after(() => api.stop());

  it("30 buyers taking 1 unit each of a stock of 7: exactly 7 succeed and stock ends at 0", async () => {
    const { product } = await gameFixture(api.services, []);
    const variant = await api.services.catalog.saveVariant(ADMIN, null, {
      productId: product.id, name: "Mousepad", sku: `MP${ulid().slice(-8)}`, kind: FulfilmentKind.PHYSICAL, costPrice: 45_000, stock: 7,
    });
    const { dataSource } = (await sharedStore()).infra;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => dataSource.transaction((manager) => api.services.catalog.takeStock(manager, variant.id, 1))),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).to.have.length(7);
    for (const o of outcomes.filter((o) => o.status === "rejected")) expect(((o as PromiseRejectedResult).reason as AppError).extensions.code).to.equal("CONFLICT");
    expect((await dataSource.getRepository(Variant).findOneByOrFail({ id: variant.id })).stock).to.equal(0);
    await dataSource.transaction((manager) => api.services.catalog.returnStock(manager, variant.id, 2));
    expect((await dataSource.getRepository(Variant).findOneByOrFail({ id: variant.id })).stock).to.equal(2);
  });

  it("10 admins creating the same slug at once: one category is created, the rest get CONFLICT", async () => {
    const slug = `race-${ulid().toLowerCase()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => api.services.catalog.saveCategory(ADMIN, null, { name: "Race", slug, type: CategoryType.OTHER })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).to.have.length(1);
    for (const o of outcomes.filter((o) => o.status === "rejected")) expect(((o as PromiseRejectedResult).reason as AppError).extensions.code).to.equal("CONFLICT");
    expect(await (await sharedStore()).infra.dataSource.getRepository(Category).countBy({ slug })).to.equal(1);
  });

  it("refuses non-text buyer inputs with BAD_USER_INPUT", async () => {
    const { variants } = await gameFixture(api.services, [10_000]);
    const error = await api.services.catalog
      .quote({ variantId: variants[0].id, quantity: 1, inputs: { userId: 12345678 as unknown as string, zoneId: "2001" }, levelCode: "RETAIL" })
      .catch((e: AppError) => e);
    expect((error as AppError).extensions).to.deep.include({ code: "BAD_USER_INPUT", field: "userId" });
  });
});
