import http from "node:http";
import { expect } from "chai";
import { createLogger } from "../../src/core/logger";
import { md5, hmacHex } from "../../src/core/crypto";
import { SandboxServer } from "../../src/sandbox/sandbox-server";
import { stopTimers } from "../../src/sandbox/sim-kit";
import { createDigiflazzSimulator } from "../../src/sandbox/digiflazz/digiflazz.simulator";
import { DigiflazzClient } from "../../src/modules/fulfillment/digiflazz/digiflazz.client";
import { DIGIFLAZZ_SANDBOX, loadDigiflazzConfig } from "../../src/modules/fulfillment/digiflazz/digiflazz.config";
import { SupplierError } from "../../src/modules/fulfillment/supplier";
import { waitFor } from "./engine-harness";

const DEMO_SKUS = "ML86 ML172 ML257 FF70 FF140 GI60 PUBG60 TSEL10 TSEL25 TSEL50 ISAT10 ISAT25 XL10 XL25 TSELDATA5GB XLDATA10GB PLN20 PLN50 PLN100 DANA50 OVO50 GOPAY50 xld10".split(" ");

describe("The Digiflazz simulator, spoken to by the adapter over HTTP", function () {
  this.timeout(20_000);
  const logger = createLogger({ level: "error", format: "json" });
  let sandbox: SandboxServer;
  let base: string;
  let hooks: { headers: http.IncomingHttpHeaders; body: string }[];
  let hookServer: http.Server;
  let client: DigiflazzClient;
  let refSeq = 0;
  const ref = () => `SIMTEST-${Date.now()}-${(refSeq += 1)}`;

  const raw = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${base}/v1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { data: any } };
  };
  const control = async (path: string, body?: unknown, method = "POST") =>
    (await fetch(`${base}/__sim${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;

  before(async () => {
    hooks = [];
    hookServer = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        hooks.push({ headers: req.headers, body });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}`;
    const simulator = createDigiflazzSimulator({ storeUrl: () => hookUrl }, logger, { pending_delay_ms: 150 });
    sandbox = new SandboxServer([simulator], logger);
    const sandboxUrl = `http://127.0.0.1:${await sandbox.start(0)}`;
    base = `${sandboxUrl}/digiflazz`;
    client = new DigiflazzClient(loadDigiflazzConfig({ providersMode: "sandbox" }, { sandboxUrl, storeUrl: () => hookUrl }, { DIGIFLAZZ_TIMEOUT_MS: "500" }));
  });
  beforeEach(async () => {
    await control("/reset");
    hooks.length = 0;
  });
  after(async () => {
    stopTimers();
    await sandbox.stop();
    hookServer.closeAllConnections();
    await new Promise<void>((resolve) => hookServer.close(() => resolve()));
  });

  it("answers the balance, and lists the demo catalogue's SKUs in Digiflazz's shapes", async () => {
    expect(await client.balance()).to.equal(10_000_000);
    const list = await client.priceList();
    expect(list.map((p) => p.sku)).to.include.members(DEMO_SKUS);
    const tsel = list.find((p) => p.sku === "TSEL10")!;
    expect(tsel).to.deep.include({ category: "Pulsa", brand: "TELKOMSEL", price: 10_400, available: true, kind: "prepaid" });
    await control("/config", { pricelist_window_ms: 0 });
    const postpaid = await client.priceList({ kind: "postpaid" });
    expect(postpaid.map((p) => p.sku)).to.have.members(["pln", "pdam"]);
  });

  it("refuses a second full price list inside the rc 83 window", async () => {
    await client.priceList();
    const error = await client.priceList().then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(SupplierError);
    expect((error as SupplierError).rc).to.equal("83");
    await control("/config", { pricelist_window_ms: 0 });
    expect(await client.priceList()).to.have.length.greaterThan(20);
  });

  it("changes, disables and re-enables a product through the control endpoints", async () => {
    await control("/config", { pricelist_window_ms: 0, pricelist_code_window_ms: 0 });
    await control("/products/TSEL10", { price: 10_900 });
    await control("/products/ML86/disable");
    const list = await client.priceList();
    expect(list.find((p) => p.sku === "TSEL10")!.price).to.equal(10_900);
    expect(list.find((p) => p.sku === "ML86")).to.deep.include({ available: false, sellerActive: false });
    await control("/products/ML86/enable");
    expect((await client.priceList({ sku: "ML86" }))[0].available).to.equal(true);
    const refused = await client.purchase({ refId: ref(), sku: "NOPE1", customerNo: "081234567890", maxPrice: 50_000 });
    expect(refused).to.deep.include({ outcome: "FAILED", rc: "43" });
  });

  it("checks username and signature, and the key against testing mode (rc 41/42, HTTP 4xx with the normal body)", async () => {
    const refId = ref();
    const signed = (key: string) => md5(`${DIGIFLAZZ_SANDBOX.username}${key}${refId}`);
    const order = { buyer_sku_code: "xld10", customer_no: "087800001230", ref_id: refId };
    expect(await raw("/transaction", { ...order, username: "someone", sign: signed(DIGIFLAZZ_SANDBOX.devKey), testing: true })).to.deep.include({ status: 400 });
    expect((await raw("/transaction", { ...order, username: "someone", sign: "x", testing: true })).body.data.rc).to.equal("42");
    expect((await raw("/transaction", { ...order, username: "lapaksim", sign: md5("wrong"), testing: true })).body.data.rc).to.equal("41");
    expect((await raw("/transaction", { ...order, username: "lapaksim", sign: signed(DIGIFLAZZ_SANDBOX.prodKey), testing: true })).body.data.rc, "prod key in testing mode").to.equal("41");
    expect((await raw("/transaction", { ...order, username: "lapaksim", sign: signed(DIGIFLAZZ_SANDBOX.devKey) })).body.data.rc, "dev key outside testing mode").to.equal("41");
    expect((await raw("/transaction", { ...order, username: "lapaksim", sign: signed(DIGIFLAZZ_SANDBOX.devKey), testing: true })).body.data).to.deep.include({ status: "Sukses", rc: "00", sn: "1234567890" });
    expect((await control("/transactions", undefined, "GET")).transactions).to.have.length(1);
  });

  it("plays the documented numbers for any SKU, and keeps one transaction per ref_id", async () => {
    const buy = (customerNo: string, sku = "ML86", refId = ref()) => client.purchase({ refId, sku, customerNo, maxPrice: 100_000 });
    expect(await buy("087800001230")).to.deep.include({ outcome: "SUCCESS", rc: "00", sn: "1234567890", price: 19_500 });
    expect(await buy("087800001232", "PLN50")).to.deep.include({ outcome: "FAILED", rc: "02" });
    expect(await buy("087800009043")).to.deep.include({ outcome: "FAILED", rc: "43" });
    expect(await buy("087800009054")).to.deep.include({ outcome: "FAILED", rc: "54" });
    expect(await buy("087800009085")).to.deep.include({ outcome: "RETRY", rc: "85" });
    expect(await buy("081111111111")).to.deep.include({ outcome: "SUCCESS", rc: "00" });
    const pendingRef = ref();
    expect(await buy("087800001233", "TSEL10", pendingRef)).to.deep.include({ outcome: "PENDING", rc: "03", sn: null });
    expect(await buy("087800009099")).to.deep.include({ outcome: "PENDING", rc: "99" });
    const before = (await control("/transactions", undefined, "GET")).deposit as number;
    await waitFor(async () => (await buy("087800001233", "TSEL10", pendingRef)).outcome === "SUCCESS", "pending to resolve");
    const after = await control("/transactions", undefined, "GET");
    expect(after.deposit, "a re-check does not debit again").to.equal(before);
    expect(after.transactions.filter((tx: any) => tx.ref_id === pendingRef)).to.have.length(1);
    expect(after.transactions.find((tx: any) => tx.ref_id === pendingRef).sn).to.match(/^\d{20}$/);
    expect(await buy("081111111111", "TSEL25", pendingRef), "same ref_id, other SKU").to.deep.include({ outcome: "FAILED", rc: "49" });
  });

  it("refunds the deposit when a pending purchase fails, refuses above max_price (69) and past the deposit (44)", async () => {
    const start = await client.balance();
    const refId = ref();
    expect(await client.purchase({ refId, sku: "TSEL50", customerNo: "087800001234", maxPrice: 60_000 })).to.deep.include({ outcome: "PENDING" });
    expect(await client.balance()).to.equal(start - 49_800);
    await waitFor(async () => (await client.purchase({ refId, sku: "TSEL50", customerNo: "087800001234", maxPrice: 60_000 })).outcome === "FAILED", "pending to fail");
    expect(await client.balance()).to.equal(start);
    expect(await client.purchase({ refId: ref(), sku: "TSEL50", customerNo: "081234567890", maxPrice: 49_000 })).to.deep.include({ outcome: "FAILED", rc: "69" });
    await control("/deposit", { deposit: 1_000 });
    expect(await client.purchase({ refId: ref(), sku: "TSEL50", customerNo: "081234567890", maxPrice: 60_000 })).to.deep.include({ outcome: "RETRY", rc: "44" });
    expect((await control("/transactions", undefined, "GET")).transactions).to.have.length(1);
  });

  it("sends create and update webhooks signed over the exact bytes, to cb_url", async () => {
    const refId = ref();
    await client.purchase({ refId, sku: "xld10", customerNo: "087800001233", maxPrice: 20_000 });
    await waitFor(async () => hooks.length >= 2, "two webhooks");
    expect(hooks.map((h) => h.headers["x-digiflazz-event"])).to.deep.equal(["create", "update"]);
    for (const hook of hooks) {
      expect(hook.headers["x-hub-signature"]).to.equal(`sha1=${hmacHex("sha1", DIGIFLAZZ_SANDBOX.webhookSecret, hook.body)}`);
      expect(hook.headers["user-agent"]).to.equal("Digiflazz-Hookshot");
    }
    expect(JSON.parse(hooks[1].body).data).to.deep.include({ ref_id: refId, status: "Sukses", rc: "00" });
    const deliveries = await control("/webhooks", undefined, "GET");
    expect(deliveries).to.have.length(2);
    expect(deliveries[0]).to.deep.include({ accepted: true });
  });

  it("injects faults: 500, malformed JSON, timeouts, and a purchase made whose answer never comes", async () => {
    const purchase = (refId: string) => client.purchase({ refId, sku: "TSEL10", customerNo: "081234567890", maxPrice: 20_000 });
    await control("/faults", { endpoints: { transaction: { http500: true } } });
    expect(await purchase(ref())).to.deep.include({ outcome: "RETRY", rc: null });
    await control("/faults", { endpoints: { transaction: { malformed_json: true } } });
    expect(await purchase(ref())).to.deep.include({ outcome: "RETRY" });
    await control("/faults", { endpoints: { transaction: { timeout: true } } });
    expect((await purchase(ref())).message).to.match(/within 500 ms/);
    expect((await control("/transactions", undefined, "GET")).transactions).to.have.length(0);
    await control("/faults", { endpoints: { transaction: { succeed_then_timeout: true } } });
    const refId = ref();
    expect(await purchase(refId)).to.deep.include({ outcome: "RETRY" });
    expect((await control("/transactions", undefined, "GET")).transactions.map((tx: any) => tx.ref_id)).to.deep.equal([refId]);
    await control("/faults", undefined, "DELETE");
    expect(await purchase(refId)).to.deep.include({ outcome: "SUCCESS" });
  });

  it("plays postpaid inquiry then payment with the same ref_id", async () => {
    const refId = ref();
    const sign = md5(`${DIGIFLAZZ_SANDBOX.username}${DIGIFLAZZ_SANDBOX.devKey}${refId}`);
    const call = (commands: string, customer_no: string) =>
      raw("/transaction", { commands, username: "lapaksim", buyer_sku_code: "pln", customer_no, ref_id: refId, sign, testing: true });
    const inquiry = await call("inq-pasca", "530000000002");
    expect(inquiry.body.data).to.deep.include({ status: "Sukses", rc: "00", customer_no: "530000000002" });
    expect(inquiry.body.data.desc.lembar_tagihan).to.equal(2);
    const paid = await call("pay-pasca", "530000000002");
    expect(paid.body.data).to.deep.include({ status: "Sukses", rc: "00" });
    expect(paid.body.data.sn).to.match(/^\d{20}$/);
    const failingInquiry = await raw("/transaction", { commands: "inq-pasca", username: "lapaksim", buyer_sku_code: "pdam", customer_no: "1013227", ref_id: `${refId}-2`, sign: md5(`lapaksim${DIGIFLAZZ_SANDBOX.devKey}${refId}-2`), testing: true });
    expect(failingInquiry.body.data.status).to.equal("Gagal");
  });
});
