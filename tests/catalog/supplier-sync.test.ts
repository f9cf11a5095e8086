import { expect } from "chai";
import Queue from "bull";
import { In } from "typeorm";
import type { RunningStore } from "../../src/boot";
import { ensureDatabase } from "../../src/core/database";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { FulfilmentKind } from "../../src/modules/catalog/catalog.enums";
import { Product } from "../../src/modules/catalog/product.entity";
import { SupplierSyncReport } from "../../src/modules/catalog/supplier-sync-report.entity";
import { loadSupplierSyncConfig } from "../../src/modules/catalog/supplier-sync.config";
import { startSupplierSyncProcessor } from "../../src/modules/catalog/supplier-sync.processor";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { VariantPrice } from "../../src/modules/pricing/variant-price.entity";
import { ConfigError } from "../../src/core/config";
import { siblingDatabaseUrl, TEST_REDIS_PREFIX } from "../helpers/env";
import { errorCode, gql } from "../helpers/graphql";
import { startTestStore, stopStore } from "../helpers/store";
import { waitFor } from "../ordering/fixtures";
import { serveWithTestViewers, type ViewerServer } from "../helpers/viewers";

const REPORT = `id status trigger added updated deactivated reactivated flagged errors changes { supplierSku action fromCost toCost flagged }`;
const COUNTS = { added: 0, updated: 0, deactivated: 0, reactivated: 0, flagged: 0 };

// A store of its own (demo catalog seeded, own database and Redis prefix): the
// sync rewrites every Digiflazz variant, which must not touch the shared test catalog.
describe("Digiflazz price-list sync against the simulator", function () {
  this.timeout(120_000);
  const url = siblingDatabaseUrl("catalog_sync");
  let store: RunningStore;
  let api: ViewerServer;

  before(async () => {
    await ensureDatabase(url, { recreate: true });
    store = await startTestStore({ DATABASE_URL: url, SEED_DEMO: "true", REDIS_PREFIX: `${TEST_REDIS_PREFIX}_sync` });
    api = await serveWithTestViewers(store);
    await sim("config", { pricelist_window_ms: 0 });
  });
  after(async () => {
    await api?.stop();
    if (store) await stopStore(store);
  });

  const sim = async (path: string, body: Record<string, unknown> = {}) => {
    const answer = await fetch(`${store.sandboxUrl}/digiflazz/__sim/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(answer.status, path).to.equal(200);
  };
  const runSync = async () => {
    const response = await gql(api.url, `mutation { runSupplierSync { ${REPORT} } }`, {}, "admin");
    expect(response.errors).to.equal(undefined);
    return response.data!.runSupplierSync;
  };
  const counts = (report: Record<string, unknown>) => ({
    added: report.added, updated: report.updated, deactivated: report.deactivated, reactivated: report.reactivated, flagged: report.flagged,
  });
  const variant = (supplierSku: string) => store.infra.dataSource.getRepository(Variant).findOneByOrFail({ supplier: "digiflazz", supplierSku });
  const publicVariants = async (supplierSku: string) => {
    const product = await store.infra.dataSource.getRepository(Product).findOneByOrFail({ id: (await variant(supplierSku)).productId });
    const response = await gql(api.url, `query ($slug: String!) { productBySlug(slug: $slug) { variants { id price } } }`, { slug: product.slug });
    return response.data!.productBySlug.variants as { id: string; price: number }[];
  };

  it("first run adds the SKU the store lacks as an inactive, priced variant under an inactive Unsorted product; a second run changes nothing", async () => {
    const first = await runSync();
    expect(first.status).to.equal("OK");
    expect(first.errors).to.deep.equal([]);
    const added = first.changes.filter((c: { action: string }) => c.action === "ADDED").map((c: { supplierSku: string }) => c.supplierSku);
    expect(added).to.deep.equal(["xld10"]); // the only fixture SKU the demo seed does not carry
    expect(first.added).to.equal(1);

    const xld = await variant("xld10");
    expect(xld).to.deep.include({ active: false, supplierActive: true, costPrice: 10_000, kind: FulfilmentKind.SUPPLIER, sku: "xld10" });
    const product = await store.infra.dataSource.getRepository(Product).findOneByOrFail({ id: xld.productId });
    expect(product).to.deep.include({ active: false, slug: "unsorted-digiflazz-pulsa" });
    const prices = await store.infra.dataSource.getRepository(VariantPrice).findBy({ variantId: xld.id });
    expect(prices).to.have.length(4);
    for (const price of prices) expect(price.price).to.be.at.least(10_000);
    // not for sale: the product is hidden and the variant cannot be quoted
    expect((await gql(api.url, `{ productBySlug(slug: "unsorted-digiflazz-pulsa") { id } }`)).data!.productBySlug).to.equal(null);
    const quote = await store.composition.services.catalog.quote({ variantId: xld.id, quantity: 1, inputs: {}, levelCode: "RETAIL" }).catch((e) => e);
    expect(quote.extensions?.code).to.equal("BAD_USER_INPUT");

    const second = await runSync();
    expect(counts(second)).to.deep.equal(COUNTS);
    expect(second.changes).to.deep.equal([]);
    expect(await store.infra.dataSource.getRepository(Variant).countBy({ supplierSku: "xld10" })).to.equal(1);
  });

  it("a price change updates cost and every level's price; the public listing shows it on the next request (cache invalidated)", async () => {
    const ml = await variant("ML86");
    const before = await publicVariants("ML86"); // fills the cache
    const oldPrice = before.find((v) => v.id === ml.id)!.price;
    const newCost = ml.costPrice + 500; // well under the 10 % threshold
    await sim("products/ML86", { price: newCost });

    const report = await runSync();
    expect(counts(report)).to.deep.equal({ ...COUNTS, updated: 1 });
    expect(report.changes).to.deep.equal([{ supplierSku: "ML86", action: "UPDATED", fromCost: ml.costPrice, toCost: newCost, flagged: false }]);
    const after = await variant("ML86");
    expect(after).to.deep.include({ costPrice: newCost, priceReview: false });
    const retail = await store.infra.dataSource.getRepository(VariantPrice).findOneByOrFail({ variantId: ml.id, levelCode: "RETAIL" });
    expect(retail.price).to.be.greaterThan(oldPrice);
    expect((await publicVariants("ML86")).find((v) => v.id === ml.id)!.price).to.equal(retail.price);
  });

  it("a jump past CATALOG_PRICE_JUMP_PERCENT is applied to cost but flagged for review", async () => {
    const tsel = await variant("TSEL10");
    await sim("products/TSEL10", { price: tsel.costPrice * 2 });
    const report = await runSync();
    expect(counts(report)).to.deep.equal({ ...COUNTS, updated: 1, flagged: 1 });
    expect(await variant("TSEL10")).to.deep.include({ costPrice: tsel.costPrice * 2, priceReview: true, previousCostPrice: tsel.costPrice });
    const review = await gql(api.url, `{ variantsForPriceReview { supplierSku costPrice previousCostPrice } }`, {}, "admin");
    expect(review.data!.variantsForPriceReview).to.deep.include({ supplierSku: "TSEL10", costPrice: tsel.costPrice * 2, previousCostPrice: tsel.costPrice });
    for (const price of await store.infra.dataSource.getRepository(VariantPrice).findBy({ variantId: tsel.id })) {
      expect(price.price).to.be.at.least(tsel.costPrice * 2); // never below the new cost
    }
  });

  it("deactivates what the supplier disables, reports unavailable or no longer lists, reactivates it when it returns, and deletes nothing", async () => {
    // a variant whose SKU the supplier does not list (any more)
    const ml = await variant("ML86");
    const gone = await store.composition.services.catalog.saveVariant({ userId: null }, null, {
      productId: ml.productId, name: "Retired pack", sku: "GONE-1", kind: FulfilmentKind.SUPPLIER, supplier: "digiflazz", supplierSku: "GONE1", costPrice: 1_000,
    });
    const total = await store.infra.dataSource.getRepository(Variant).count();
    await sim("products/FF70/disable");
    await sim("products/GI60", { buyer_product_status: false });
    await sim("products/OVO50", { stock: 0 }); // limited stock ran out
    const ff = await variant("FF70");
    expect((await publicVariants("FF70")).map((v) => v.id)).to.include(ff.id);

    const off = await runSync();
    expect(counts(off)).to.deep.equal({ ...COUNTS, deactivated: 4 });
    expect(off.changes.map((c: { supplierSku: string }) => c.supplierSku).sort()).to.deep.equal(["FF70", "GI60", "GONE1", "OVO50"]);
    for (const sku of ["FF70", "GI60", "GONE1", "OVO50"]) expect((await variant(sku)).supplierActive, sku).to.equal(false);
    expect((await publicVariants("FF70")).map((v) => v.id)).to.not.include(ff.id);
    expect(await store.infra.dataSource.getRepository(Variant).count()).to.equal(total);
    expect(counts(await runSync())).to.deep.equal(COUNTS);

    await sim("products/FF70/enable");
    await sim("products/GI60", { buyer_product_status: true });
    await sim("products/OVO50", { stock: 40 });
    const on = await runSync();
    expect(counts(on)).to.deep.equal({ ...COUNTS, reactivated: 3 });
    for (const sku of ["FF70", "GI60", "OVO50"]) expect((await variant(sku)).supplierActive, sku).to.equal(true);
    expect((await store.infra.dataSource.getRepository(Variant).findOneByOrFail({ id: gone.id })).supplierActive).to.equal(false);
    expect((await publicVariants("FF70")).map((v) => v.id)).to.include(ff.id);
  });

  it("parallel runs queue up on the variant lock: one applies a change, the others find nothing to do", async () => {
    const pubg = await variant("PUBG60");
    await sim("products/PUBG60", { price: pubg.costPrice + 100 });
    const reports = await Promise.all([runSync(), runSync(), runSync()]);
    expect(reports.map((r) => r.updated).sort()).to.deep.equal([0, 0, 1]);
    expect(reports.every((r) => r.status === "OK")).to.equal(true);
    expect((await variant("PUBG60")).costPrice).to.equal(pubg.costPrice + 100);
  });

  it("an rc 83 refusal (inside the 5-minute window) is a FAILED report and changes nothing", async () => {
    expect((await runSync()).status).to.equal("OK"); // the simulator notes when the full list was last read
    await sim("config", { pricelist_window_ms: 5 * 60_000 });
    try {
      const dana = await variant("DANA50");
      await sim("products/DANA50", { price: dana.costPrice + 1_000 });
      const refused = await runSync();
      expect(refused).to.deep.include({ status: "FAILED", ...COUNTS, changes: [] });
      expect(refused.errors).to.have.length(1);
      expect(refused.errors[0]).to.match(/rc 83/);
      expect((await variant("DANA50")).costPrice).to.equal(dana.costPrice);
    } finally {
      await sim("config", { pricelist_window_ms: 0 });
    }
  });

  it("is admin-only; admins read the stored reports, and every run is audited", async () => {
    for (const [query, variables] of [
      [`mutation { runSupplierSync { id } }`, {}],
      [`{ supplierSyncReports { id } }`, {}],
      [`query ($id: ID!) { supplierSyncReport(id: $id) { id } }`, { id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }],
    ] as const) {
      expect(errorCode(await gql(api.url, query, variables, "customer")), query).to.equal("FORBIDDEN");
      expect(errorCode(await gql(api.url, query, variables)), query).to.equal("UNAUTHENTICATED");
    }
    const stored = await store.infra.dataSource.getRepository(SupplierSyncReport).count();
    const list = await gql(api.url, `{ supplierSyncReports(first: 100) { id status trigger startedAt finishedAt } }`, {}, "admin");
    expect(list.data!.supplierSyncReports).to.have.length(stored);
    const newest = list.data!.supplierSyncReports[0];
    expect(newest).to.deep.include({ status: "FAILED", trigger: "MANUAL" });
    const one = await gql(api.url, `query ($id: ID!) { supplierSyncReport(id: $id) { id errors } }`, { id: newest.id }, "admin");
    expect(one.data!.supplierSyncReport.id).to.equal(newest.id);
    const audits = await store.infra.dataSource.getRepository(ActivityLog).findBy({ action: "catalog.supplier_sync", targetId: In([newest.id]) });
    expect(audits).to.have.length(1);
    expect(audits[0]).to.deep.include({ actorId: "01TESTADM1N000000000000000", targetType: "supplier_sync_report" });
    expect(await store.infra.dataSource.getRepository(ActivityLog).countBy({ action: "catalog.supplier_sync" })).to.equal(stored);
  });

  it("the worker's repeatable job runs a SCHEDULED sync, comes back when Redis forgets it; a new interval or 0 replaces it", async () => {
    const name = `catalog-supplier-sync-test-${Date.now()}`;
    const queue = store.infra.queues.get(name);
    await startSupplierSyncProcessor(queue, store.composition.services.supplierSync, 5, store.infra.logger);
    expect((await queue.getRepeatableJobs()).map((job) => job.every)).to.deep.equal([5 * 60_000]);
    const job = await queue.add("sync", {});
    const result = (await job.finished()) as { reportId: string; status: string };
    expect(result.status).to.equal("OK");
    const report = await store.infra.dataSource.getRepository(SupplierSyncReport).findOneByOrFail({ id: result.reportId });
    expect(report).to.deep.include({ trigger: "SCHEDULED", actorId: null, status: "OK" });
    // the change the rc 83 refusal left out is applied by the next run that can read the list
    expect(report.changes.map((change) => [change.supplierSku, change.action])).to.deep.equal([["DANA50", "UPDATED"]]);

    // a Redis that restarted empty: the schedule is re-added once the connection is ready again
    for (const repeatable of await queue.getRepeatableJobs()) await queue.removeRepeatableByKey(repeatable.key);
    queue.client.emit("ready");
    await waitFor(async () => (await queue.getRepeatableJobs()).length === 1);
    expect((await queue.getRepeatableJobs()).map((job) => job.every)).to.deep.equal([5 * 60_000]);

    // the next worker start with another interval, then with 0, replaces the schedule (same queue, another handler)
    const workerQueue = () => new Queue(name, store.infra.config.redisUrl, { prefix: `${store.infra.config.redisPrefix}:bull` });
    const restarted = workerQueue();
    await startSupplierSyncProcessor(restarted, store.composition.services.supplierSync, 15, store.infra.logger);
    expect((await restarted.getRepeatableJobs()).map((job) => job.every)).to.deep.equal([15 * 60_000]);
    await restarted.close();
    const off = workerQueue();
    await startSupplierSyncProcessor(off, store.composition.services.supplierSync, 0, store.infra.logger);
    expect(await off.getRepeatableJobs()).to.deep.equal([]);
    await off.close();
  });

  it("reads its schedule and threshold from the environment: 0 is off, shorter than the rc 83 window is refused", () => {
    expect(loadSupplierSyncConfig({})).to.deep.equal({ intervalMinutes: 60, priceJumpPercent: 10 });
    expect(loadSupplierSyncConfig({ CATALOG_SYNC_INTERVAL_MINUTES: "0", CATALOG_PRICE_JUMP_PERCENT: "25" })).to.deep.equal({ intervalMinutes: 0, priceJumpPercent: 25 });
    expect(() => loadSupplierSyncConfig({ CATALOG_SYNC_INTERVAL_MINUTES: "2" })).to.throw(ConfigError, /rc 83/);
  });
});
