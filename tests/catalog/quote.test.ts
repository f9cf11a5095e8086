import { expect } from "chai";
import { sharedStore } from "../helpers/store";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";
import type { AppError } from "../../src/core/errors";
import { ADMIN, gameFixture } from "./fixtures";

describe("Quoting a purchase for checkout (CatalogService.quote)", () => {
  let api: ViewerServer;
  before(async () => {
    api = await serveWithTestViewers(await sharedStore());
  });
  after(() => api.stop());

  async function refusal(run: () => Promise<unknown>): Promise<{ code: unknown; field: unknown }> {
    try {
      await run();
    } catch (error) {
      const { code, field } = (error as AppError).extensions;
      return { code, field };
    }
    throw new Error("expected a refusal");
  }

  it("validates the inputs, builds customer_no from the template and prices on the server for the level", async () => {
    const { category, variants } = await gameFixture(api.services, [19_800]);
    await api.services.pricing.upsertMarkupRule(ADMIN, { categoryId: category.id, levelCode: "RESELLER", percentBp: 100, fixedAmount: 0 });
    const quote = await api.services.catalog.quote({ variantId: variants[0].id, quantity: 2, inputs: { userId: " 12345678 ", zoneId: "2001" }, levelCode: "RESELLER" });
    expect(quote).to.deep.include({ kind: "SUPPLIER", supplier: variants[0].supplier, supplierSku: variants[0].supplierSku, costPrice: 19_800, unitPrice: 20_000, quantity: 2, totalPrice: 40_000, customerNo: "123456782001" });
    expect(quote.inputs).to.deep.equal({ userId: "12345678", zoneId: "2001" });
  });

  it("refuses bad inputs, bad quantities and unsellable variants with BAD_USER_INPUT", async () => {
    const { variants } = await gameFixture(api.services, [19_800]);
    const id = variants[0].id;
    const ok = { userId: "12345678", zoneId: "2001" };
    const quote = (overrides: Record<string, unknown>) => () => api.services.catalog.quote({ variantId: id, quantity: 1, inputs: ok, levelCode: "RETAIL", ...overrides });
    expect(await refusal(quote({ inputs: { userId: "12345678" } }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "zoneId" });
    expect(await refusal(quote({ inputs: { ...ok, userId: "12ab" } }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "userId" });
    expect(await refusal(quote({ inputs: { ...ok, zoneId: "1" } }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "zoneId" }); // regex {2,6}
    expect(await refusal(quote({ inputs: { ...ok, extra: "x" } }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "extra" });
    expect(await refusal(quote({ quantity: 0 }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "quantity" });
    expect(await refusal(quote({ quantity: 1.5 }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "quantity" });
    expect(await refusal(quote({ variantId: "01NOSUCHVARIANT00000000000" }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "variantId" });
    await api.services.catalog.saveVariant(ADMIN, id, { ...variants[0], active: false });
    expect(await refusal(quote({}))).to.deep.equal({ code: "BAD_USER_INPUT", field: "variantId" });
  });

  it("normalises phone numbers and checks SELECT options", async () => {
    const { product, variants } = await gameFixture(api.services, [10_400]);
    await api.services.catalog.saveProduct(ADMIN, product.id, {
      ...product,
      inputSchema: [
        { key: "phone", label: "Nomor HP", type: "PHONE" as never, required: true },
        { key: "server", label: "Server", type: "SELECT" as never, required: true, options: [{ value: "asia", label: "Asia" }] },
      ],
      customerNoTemplate: "{phone}|{server}",
    });
    const quote = await api.services.catalog.quote({ variantId: variants[0].id, quantity: 1, inputs: { phone: "+62 812-3456-7890", server: "asia" }, levelCode: "RETAIL" });
    expect(quote.customerNo).to.equal("081234567890|asia");
    expect(await refusal(() => api.services.catalog.quote({ variantId: variants[0].id, quantity: 1, inputs: { phone: "0812345", server: "asia" }, levelCode: "RETAIL" }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "phone" });
    expect(await refusal(() => api.services.catalog.quote({ variantId: variants[0].id, quantity: 1, inputs: { phone: "081234567890", server: "eu" }, levelCode: "RETAIL" }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "server" });
  });

  it("refuses a template naming an input the schema lacks", async () => {
    const { product } = await gameFixture(api.services);
    expect(await refusal(() => api.services.catalog.saveProduct(ADMIN, product.id, { ...product, customerNoTemplate: "{userId}{server}" }))).to.deep.equal({ code: "BAD_USER_INPUT", field: "customerNoTemplate" });
  });
});
