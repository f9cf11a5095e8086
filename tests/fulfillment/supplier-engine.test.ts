import { expect } from "chai";
import { ulid } from "ulid";
import { AppError } from "../../src/core/errors";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { SupplierPurchase } from "../../src/modules/fulfillment/supplier-purchase.entity";
import { webhookSignature } from "../../src/modules/fulfillment/digiflazz/digiflazz.signature";
import { startEngine, waitFor, type Engine } from "./engine-harness";

describe("Buying from Digiflazz through the purchase engine", function () {
  this.timeout(30_000);
  let engine: Engine;

  before(async () => {
    engine = await startEngine();
  });
  beforeEach(async () => {
    await engine.sim.post("/reset");
    await engine.sim.post("/config", { pending_delay_ms: 300, webhook_retry_interval_ms: 100 });
    engine.engineConfig.recheckMinMs = 150;
    engine.listener.fail = 0;
  });
  after(async () => engine?.stop());

  const settled = (id: string, status = ["SUCCESS", "FAILED", "NEEDS_STAFF"]) =>
    waitFor(async () => {
      const row = await engine.row(id);
      return status.includes(row.status) ? row : null;
    }, `purchase ${id} to reach ${status.join("/")}`);

  it("Sukses at once: SUCCESS with the SN, one purchase, the deposit debited once, the result handed over once", async () => {
    const deposit = await engine.sim.deposit();
    const purchase = await engine.request({ customerNo: "087800001230", sku: "TSEL10" });
    expect(purchase.refId).to.equal(`LPK${purchase.id}`);
    const row = await settled(purchase.id);
    expect(row).to.deep.include({ status: "SUCCESS", sn: "1234567890", rc: "00", price: 10_400, attempts: 1 });
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
    expect(await engine.sim.deposit()).to.equal(deposit - 10_400);
    expect(await engine.service.balance(), "staff read the deposit with cek-saldo").to.equal(deposit - 10_400);
    await waitFor(async () => engine.resultsFor(purchase.orderItemId).length === 1, "the result");
    expect(engine.resultsFor(purchase.orderItemId)[0]).to.deep.include({ status: "SUCCESS", sn: "1234567890", refId: purchase.refId });
    expect((await engine.row(purchase.id)).resultDeliveredAt).to.be.instanceOf(Date);
  });

  it("Gagal at once: FAILED, nothing charged, the failure handed over", async () => {
    const deposit = await engine.sim.deposit();
    const purchase = await engine.request({ customerNo: "087800001232" });
    expect(await settled(purchase.id)).to.deep.include({ status: "FAILED", rc: "02", sn: null });
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
    expect(await engine.sim.deposit()).to.equal(deposit);
    await waitFor(async () => engine.resultsFor(purchase.orderItemId)[0]?.status === "FAILED", "the FAILED result");
  });

  it("refused before any transaction (rc 43, rc 54): FAILED", async () => {
    const unknownSku = await engine.request({ customerNo: "087800009043" });
    const wrongNumber = await engine.request({ customerNo: "087800009054" });
    expect(await settled(unknownSku.id)).to.deep.include({ status: "FAILED", rc: "43" });
    expect(await settled(wrongNumber.id)).to.deep.include({ status: "FAILED", rc: "54" });
  });

  it("Pending then Sukses by the webhook: PENDING first, then SUCCESS with the webhook's SN, one purchase", async () => {
    engine.engineConfig.recheckMinMs = 60_000; // no re-check within the test: only the webhook can settle it
    const purchase = await engine.request({ customerNo: "087800001233" });
    await waitFor(async () => (await engine.row(purchase.id)).status === "PENDING", "PENDING");
    const row = await settled(purchase.id);
    expect(row.status).to.equal("SUCCESS");
    expect(row.sn).to.match(/^\d{20}$/);
    const [tx] = await engine.sim.transactions(purchase.refId);
    expect(tx).to.deep.include({ status: "Sukses", sn: row.sn, requests: 1 });
    const accepted = async () =>
      (await engine.sim.get<any[]>("/webhooks")).find((d) => d.headers["x-digiflazz-event"] === "update" && d.body.includes(purchase.refId))?.accepted;
    await waitFor(accepted, "the store to acknowledge the update webhook");
  });

  it("Pending then Gagal by the webhook: FAILED and the supplier deposit refunded", async () => {
    engine.engineConfig.recheckMinMs = 60_000;
    const deposit = await engine.sim.deposit();
    const purchase = await engine.request({ customerNo: "087800001234", sku: "TSEL25", maxPrice: 30_000 });
    expect(await settled(purchase.id)).to.deep.include({ status: "FAILED", rc: "02" });
    expect(await engine.sim.deposit()).to.equal(deposit);
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
    await waitFor(async () => engine.resultsFor(purchase.orderItemId)[0]?.status === "FAILED", "the FAILED result");
  });

  it("Pending with the webhook lost: re-checks with the same ref_id settle it (rc 99 router issue too)", async () => {
    await engine.sim.post("/faults", { callbacks: { drop_webhook: true } });
    const pending = await engine.request({ customerNo: "087800001233" });
    const router = await engine.request({ customerNo: "087800009099" });
    expect(await settled(pending.id)).to.deep.include({ status: "SUCCESS" });
    expect(await settled(router.id)).to.deep.include({ status: "SUCCESS" });
    for (const purchase of [pending, router]) {
      const txs = await engine.sim.transactions(purchase.refId);
      expect(txs).to.have.length(1);
      expect(txs[0].requests).to.be.greaterThan(1);
      expect((await engine.row(purchase.id)).attempts).to.equal(txs[0].requests);
    }
  });

  it("the supplier times out after succeeding: the same ref_id is re-sent, one purchase, SUCCESS", async () => {
    const deposit = await engine.sim.deposit();
    // webhooks dropped: only re-sending the same ref_id can settle it
    await engine.sim.post("/faults", { endpoints: { transaction: { succeed_then_timeout: true } }, callbacks: { drop_webhook: true } });
    const purchase = await engine.request({ customerNo: "081299990001" });
    await waitFor(async () => (await engine.sim.transactions(purchase.refId)).length === 1, "the purchase at the supplier");
    await waitFor(async () => (await engine.row(purchase.id)).lastError?.includes("no answer"), "the timeout to be noticed");
    expect((await engine.row(purchase.id)).status).to.equal("PROCESSING");
    await engine.sim.post("/faults", { endpoints: { transaction: {} } });
    const row = await settled(purchase.id);
    expect(row.status).to.equal("SUCCESS");
    const txs = await engine.sim.transactions(purchase.refId);
    expect(txs).to.have.length(1);
    expect(txs[0].requests).to.be.greaterThan(1);
    expect(row.sn).to.equal(txs[0].sn);
    expect(await engine.sim.deposit()).to.equal(deposit - 10_400);
  });

  it("HTTP 500 for a while, then recovery: retried with the same ref_id, one purchase", async () => {
    await engine.sim.post("/faults", { endpoints: { transaction: { http500: true } } });
    const purchase = await engine.request({ customerNo: "081299990002" });
    await waitFor(async () => (await engine.row(purchase.id)).attempts >= 3, "three failed attempts");
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(0);
    await engine.sim.clearFaults();
    expect(await settled(purchase.id)).to.deep.include({ status: "SUCCESS" });
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
  });

  it("duplicated and out-of-order webhooks change nothing: one SUCCESS, one result, a late Pending ignored", async () => {
    engine.engineConfig.recheckMinMs = 60_000;
    await engine.sim.post("/faults", { callbacks: { duplicate_webhook: true, reorder_webhooks: true } });
    const purchase = await engine.request({ customerNo: "087800001233" });
    const row = await settled(purchase.id);
    expect(row.status).to.equal("SUCCESS");
    // wait until the late "create" (Pending) copies arrived after the "update" (Sukses) copies
    const mine = async () => (await engine.sim.get<any[]>("/webhooks")).filter((d) => d.body.includes(purchase.refId));
    await waitFor(async () => (await mine()).filter((d) => d.attempts.length > 0).length === 4, "four deliveries");
    const deliveries = await mine();
    expect(deliveries.map((d) => d.headers["x-digiflazz-event"])).to.deep.equal(["update", "update", "create", "create"]);
    expect(deliveries.every((d) => d.accepted)).to.equal(true);
    const after = await engine.row(purchase.id);
    expect(after).to.deep.include({ status: "SUCCESS", sn: row.sn });
    expect(engine.resultsFor(purchase.orderItemId)).to.have.length(1);
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
  });

  it("a forged signature changes nothing and is answered 401", async () => {
    engine.engineConfig.recheckMinMs = 60_000;
    await engine.sim.post("/faults", { callbacks: { bad_signature: true } });
    const purchase = await engine.request({ customerNo: "087800001233" });
    const mine = async () => (await engine.sim.get<any[]>("/webhooks")).filter((d) => d.body.includes(purchase.refId) && d.headers["x-digiflazz-event"] === "update");
    await waitFor(async () => (await mine())[0]?.attempts.length >= 1, "the forged update");
    expect((await mine())[0].attempts[0].status).to.equal(401);
    const row = await engine.row(purchase.id);
    expect(row).to.deep.include({ status: "PENDING", sn: null });
    // a hand-made body with a trailing newline under the signature of the body without it
    const body = JSON.stringify({ data: { ref_id: purchase.refId, customer_no: "087800001233", buyer_sku_code: "TSEL10", status: "Sukses", rc: "00", sn: "999", message: "x", price: 1 } });
    const response = await fetch(`${engine.storeUrl}/webhooks/digiflazz`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature": webhookSignature("fake-webhook-secret", body) },
      body: `${body}\n`,
    });
    expect(response.status).to.equal(401);
    expect(await engine.row(purchase.id)).to.deep.include({ status: "PENDING", sn: null });
    expect(engine.resultsFor(purchase.orderItemId)).to.have.length(0);
    // the genuine signature over the exact bytes is taken
    const genuine = await fetch(`${engine.storeUrl}/webhooks/digiflazz`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature": webhookSignature("fake-webhook-secret", body) },
      body,
    });
    expect(genuine.status).to.equal(200);
    expect(await engine.row(purchase.id)).to.deep.include({ status: "SUCCESS", sn: "999" });
  });

  it("answers 200 to the set-up ping and to a webhook for an unknown ref_id, changing nothing", async () => {
    const ping = '{"sed":"abc","hook_id":"h-1","hook":{"url":"x","secret":"y","type":"application/json","status":1}}';
    const post = (body: string, event = "update") =>
      fetch(`${engine.storeUrl}/webhooks/digiflazz`, { method: "POST", headers: { "content-type": "application/json", "x-digiflazz-event": event, "x-hub-signature": webhookSignature("fake-webhook-secret", body) }, body });
    expect((await post(ping, "ping")).status).to.equal(200);
    const refId = `LPK-NOT-OURS-${ulid()}`;
    const unknown = await post(JSON.stringify({ data: { ref_id: refId, status: "Sukses", rc: "00", sn: "1" } }));
    expect(unknown.status).to.equal(200);
    expect(await unknown.json()).to.deep.include({ result: "unknown" });
    const stored = await engine.infra.dataSource.query("SELECT verified, outcome FROM supplier_callbacks WHERE ref_id = ?", [refId]);
    expect(stored).to.deep.equal([{ verified: 1, outcome: "unknown" }]);
  });

  it("re-delivers a result the listener could not take", async () => {
    engine.listener.fail = 2;
    const purchase = await engine.request({ customerNo: "087800001230" });
    await settled(purchase.id);
    await waitFor(async () => (await engine.row(purchase.id)).resultDeliveredAt, "the result to be taken");
    expect(engine.resultsFor(purchase.orderItemId)).to.have.length(1);
  });

  it("keeps one purchase per order item, and refuses bad input writing nothing", async () => {
    const orderItemId = ulid();
    const rows = await Promise.all(
      Array.from({ length: 8 }, () => engine.request({ orderItemId, customerNo: "087800001230", sku: "TSEL10", maxPrice: 20_000 })),
    );
    expect(new Set(rows.map((r) => r.id)).size).to.equal(1);
    expect(await engine.infra.dataSource.getRepository(SupplierPurchase).countBy({ orderItemId })).to.equal(1);
    await settled(rows[0].id);
    expect(await engine.sim.transactions(rows[0].refId)).to.have.length(1);
    const other = await engine.request({ orderItemId, customerNo: "081200000000" }).then(() => null, (e: AppError) => e);
    expect(other?.extensions.code).to.equal("CONFLICT");
    for (const bad of [{ orderItemId: "x" }, { sku: "" }, { customerNo: "08 12" }, { maxPrice: 0 }, { maxPrice: 1.5 }]) {
      const fresh = ulid();
      const error = await engine.request({ orderItemId: fresh, customerNo: "081200000000", ...bad }).then(() => null, (e: AppError) => e);
      expect(error?.extensions.code, JSON.stringify(bad)).to.equal("BAD_USER_INPUT");
      expect(await engine.infra.dataSource.getRepository(SupplierPurchase).countBy({ orderItemId: fresh })).to.equal(0);
    }
  });

  it("a purchase requested in a transaction that rolls back is neither stored nor sent", async () => {
    const orderItemId = ulid();
    await engine.infra.dataSource
      .transaction(async (manager) => {
        await engine.service.request(manager, { orderItemId, sku: "TSEL10", customerNo: "087800001230", maxPrice: 20_000 });
        throw new Error("checkout failed later");
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await engine.service.findByOrderItem(orderItemId)).to.equal(null);
    expect((await engine.sim.transactions()).filter((tx) => tx.customer_no === "087800001230")).to.have.length(0);
  });

  it("re-checks stop after the configured age: NEEDS_STAFF; staff retry re-checks the same ref_id; staff resolve by hand is audited", async () => {
    await engine.sim.post("/config", { pending_delay_ms: 600_000 });
    await engine.sim.post("/faults", { callbacks: { drop_webhook: true } });
    const maxAge = engine.engineConfig.maxAgeMs;
    engine.engineConfig.maxAgeMs = 500;
    try {
      const purchase = await engine.request({ customerNo: "087800001233" });
      expect(await settled(purchase.id)).to.deep.include({ status: "NEEDS_STAFF" });
      await waitFor(async () => engine.resultsFor(purchase.orderItemId)[0]?.status === "NEEDS_STAFF", "the NEEDS_STAFF result");
      const actorId = ulid();
      engine.engineConfig.maxAgeMs = 60_000;
      const retried = await engine.service.retry({ purchaseId: purchase.id, actorId });
      expect(retried).to.deep.include({ status: "PENDING", refId: purchase.refId });
      await engine.sim.post("/faults", { callbacks: { drop_webhook: false } });
      await engine.sim.post(`/transactions/${purchase.refId}/resolve`, { status: "Sukses" });
      expect(await settled(purchase.id)).to.deep.include({ status: "SUCCESS" });
      expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);

      const stuck = await engine.request({ customerNo: "087800009085" }); // rate-limited forever
      await waitFor(async () => (await engine.row(stuck.id)).attempts >= 2, "two rate-limited attempts");
      expect((await engine.row(stuck.id)).lastError).to.match(/Limitasi/);
      const resolved = await engine.service.resolveManually({ purchaseId: stuck.id, actorId, outcome: "FAILED", reason: "rate limited for too long" });
      expect(resolved.status).to.equal("FAILED");
      await waitFor(async () => engine.resultsFor(stuck.orderItemId)[0]?.status === "FAILED", "the FAILED result");
      const audit = await engine.infra.dataSource.getRepository(ActivityLog).findBy({ targetId: stuck.id });
      expect(audit.map((a) => a.action)).to.deep.equal(["supplier_purchase.resolve"]);
      const again = await engine.service.resolveManually({ purchaseId: stuck.id, actorId, outcome: "SUCCESS", sn: "1", reason: "x" }).then(() => null, (e: AppError) => e);
      expect(again?.extensions.code).to.equal("CONFLICT");
      const noSn = await engine.service.resolveManually({ purchaseId: purchase.id, actorId, outcome: "SUCCESS", reason: "x" }).then(() => null, (e: AppError) => e);
      expect(noSn?.extensions.code).to.equal("BAD_USER_INPUT");
    } finally {
      engine.engineConfig.maxAgeMs = maxAge;
    }
  });

  it("staff retry of a FAILED purchase sends it again under a new ref_id", async () => {
    const purchase = await engine.request({ customerNo: "087800001232" });
    await settled(purchase.id);
    const retried = await engine.service.retry({ purchaseId: purchase.id, actorId: ulid() });
    expect(retried.refId).to.equal(`${purchase.refId}R1`);
    expect(await settled(purchase.id, ["FAILED"])).to.deep.include({ refId: `${purchase.refId}R1` }); // the scripted number fails again
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
    expect(await engine.sim.transactions(`${purchase.refId}R1`)).to.have.length(1);
  });
});

describe("The purchase engine under at-least-once delivery and lost Redis", function () {
  this.timeout(30_000);
  let engine: Engine;

  before(async () => {
    engine = await startEngine({ worker: false, prefix: `${process.env.TEST_REDIS_PREFIX || "lapak_test"}_engine_manual` });
  });
  after(async () => engine?.stop());

  it("running the processor twice (even many times at once) for the same job makes one purchase", async () => {
    const purchase = await engine.request({ customerNo: "081277770001" });
    await Promise.all(Array.from({ length: 10 }, () => engine.service.handleJob({ kind: "drive", purchaseId: purchase.id })));
    await engine.service.handleJob({ kind: "drive", purchaseId: purchase.id });
    const txs = await engine.sim.transactions(purchase.refId);
    expect(txs).to.have.length(1);
    expect(txs[0].requests).to.equal(1);
    expect(await engine.row(purchase.id)).to.deep.include({ status: "SUCCESS", attempts: 1 });
    expect(engine.resultsFor(purchase.orderItemId)).to.have.length(1);
  });

  it("the sweeper re-creates a job deleted from Redis, and the purchase then completes", async () => {
    const purchase = await engine.request({ customerNo: "081277770002" });
    const jobId = `drive:${purchase.id}:0`;
    await waitFor(async () => engine.queue.getJob(jobId), "the job after commit");
    await (await engine.queue.getJob(jobId))!.remove(); // Redis lost it
    expect(await engine.queue.getJob(jobId)).to.equal(null);
    const swept = await engine.service.sweep();
    expect(swept.requeued).to.be.greaterThan(0);
    expect(await engine.queue.getJob(jobId)).to.not.equal(null);
    expect(await engine.service.sweep(), "a job already queued is not queued twice").to.deep.include({ requeued: 0 });
    const job = (await engine.queue.getJob(jobId))!;
    await engine.service.handleJob(job.data);
    expect(await engine.row(purchase.id)).to.deep.include({ status: "SUCCESS" });
    expect(await engine.sim.transactions(purchase.refId)).to.have.length(1);
  });

  it("a worker that died mid-request: once its lease is over, the sweeper re-sends the same ref_id and the purchase completes once", async () => {
    await engine.sim.post("/faults", { callbacks: { drop_webhook: true } }); // only the re-sent request may settle it
    const purchase = await engine.request({ customerNo: "081277770003" });
    await waitFor(async () => engine.queue.getJob(`drive:${purchase.id}:0`), "the job after commit");
    await (await engine.queue.getJob(`drive:${purchase.id}:0`))!.remove();
    // what the dead worker left: its request reached Digiflazz, its claim is on the row, no answer was written
    const { sku, customerNo, maxPrice } = await engine.row(purchase.id);
    await engine.supplier.purchase({ refId: purchase.refId, sku, customerNo, maxPrice });
    const past = new Date(Date.now() - 1000);
    await engine.infra.dataSource
      .getRepository(SupplierPurchase)
      .update({ id: purchase.id }, { status: "PROCESSING", attempts: 1, lockToken: ulid(), lockedUntil: past, nextCheckAt: past, lastRequestAt: past, firstAttemptAt: past });
    expect(await engine.service.sweep()).to.deep.include({ requeued: 1 });
    const job = await engine.queue.getJob(`drive:${purchase.id}:1`);
    await engine.service.handleJob(job!.data);
    expect(await engine.row(purchase.id)).to.deep.include({ status: "SUCCESS", attempts: 2 });
    const txs = await engine.sim.transactions(purchase.refId);
    expect(txs).to.have.length(1);
    expect(txs[0].requests).to.equal(2);
    await engine.sim.clearFaults();
  });
});
