import { expect } from "chai";
import { ConfigError } from "../../src/core/config";
import { postJson } from "../../src/core/http-client";
import { md5 } from "../../src/core/crypto";
import type { ChargeRequest } from "../../src/modules/payments/gateways/payment-gateway";
import { TokopayAdapter, readOrderStatus, tokopaySourceIp } from "../../src/modules/payments/gateways/tokopay/tokopay.adapter";
import {
  loadTokopayConfig,
  TOKOPAY_DEFAULT_CHANNELS,
  TOKOPAY_SANDBOX_CREDENTIALS,
  type TokopayConfig,
} from "../../src/modules/payments/gateways/tokopay/tokopay.config";
import { tokopayMerchantSignature, tokopayOrderSignature } from "../../src/modules/payments/gateways/tokopay/tokopay.signature";
import { crc16Ccitt } from "../../src/sandbox/emv-qr";
import { sleep } from "../../src/sandbox/sim-kit";
import { createTokopaySimulator } from "../../src/sandbox/tokopay/tokopay.simulator";
import { gatewaySandbox, itThrowsOnFaults, simControl, simGet, startReceiver, type CallbackReceiver } from "./gateway-harness";

const { merchantId, secret } = TOKOPAY_SANDBOX_CREDENTIALS;

// the provider doc's worked example (../shared/providers/tokopay.md §7)
const EXAMPLE_WEBHOOK =
  '{"data":{"created_at":"2024-01-15 10:00:00","customer_email":"budi@example.com","customer_name":"Budi","customer_phone":"081200000000","merchant_id":"M240115FAKE0001","payment_channel":"QRIS","total_dibayar":15105,"total_diterima":15000,"updated_at":"2024-01-15 10:01:12"},"reference":"TP240115ABCD000001","reff_id":"ORD-20240115-0001","signature":"3fe2fcc444ef6b6af37cc81829816328","status":"Success"}';

const sandboxConfig = (baseUrl: string, overrides: Partial<TokopayConfig> = {}): TokopayConfig => ({
  baseUrl,
  merchantId,
  secret,
  allowedIps: ["178.128.104.179", "127.0.0.1", "::1"],
  channels: TOKOPAY_DEFAULT_CHANNELS.split(","),
  timeoutMs: 500,
  ...overrides,
});

const webhook = (body: string, ip = "127.0.0.1", headers: Record<string, string> = {}) => ({ subPath: "/", headers, rawBody: Buffer.from(body), ip });

describe("Tokopay: signatures and webhook verification (worked example)", () => {
  const adapter = new TokopayAdapter(sandboxConfig("http://unused.invalid/v1"));

  it("computes the documented colon-separated MD5 signatures, and the no-colon mistake differs", () => {
    expect(tokopayOrderSignature(merchantId, secret, "ORD-20240115-0001")).to.equal("3fe2fcc444ef6b6af37cc81829816328");
    expect(tokopayMerchantSignature(merchantId, secret)).to.equal("ccde6d894ac68d1262715c52bed93732");
    expect(md5(`${merchantId}${secret}ORD-20240115-0001`)).to.equal("b44ed04b3aa9121e4336cb7463aad2f1");
  });

  it("accepts the worked-example webhook and answers {status:true}", () => {
    const parsed = adapter.parseCallback(webhook(EXAMPLE_WEBHOOK));
    expect(parsed).to.deep.equal({
      verified: true,
      reference: "ORD-20240115-0001",
      gatewayReference: "TP240115ABCD000001",
      eventKey: "TP240115ABCD000001:Success",
      status: "PAID",
      amountPaid: 15105,
      requiresStatusCheck: true,
    });
    expect(adapter.answer("accepted")).to.deep.equal({ status: 200, body: { status: true } });
    expect(adapter.answer("rejected").status).to.equal(401);
  });

  it("rejects the no-colon signature, another merchant, junk and an unlisted source address", () => {
    const noColons = EXAMPLE_WEBHOOK.replace("3fe2fcc444ef6b6af37cc81829816328", "b44ed04b3aa9121e4336cb7463aad2f1");
    expect(adapter.parseCallback(webhook(noColons))).to.include({ verified: false, reason: "signature mismatch" });
    const otherMerchant = EXAMPLE_WEBHOOK.replace('"merchant_id":"M240115FAKE0001"', '"merchant_id":"M240115FAKE0002"');
    expect(adapter.parseCallback(webhook(otherMerchant))).to.include({ verified: false, reason: "merchant_id is not ours" });
    expect(adapter.parseCallback(webhook("{not json"))).to.include({ verified: false, reason: "body is not JSON" });
    expect(adapter.parseCallback(webhook(EXAMPLE_WEBHOOK, "10.1.2.3")).verified).to.equal(false);
  });

  it("honours X-Forwarded-For only from loopback, using the entry the local proxy appended", () => {
    const live = new TokopayAdapter(sandboxConfig("http://unused.invalid/v1", { allowedIps: ["178.128.104.179"] }));
    const viaProxy = { "x-forwarded-for": "178.128.104.179" };
    expect(live.parseCallback(webhook(EXAMPLE_WEBHOOK, "127.0.0.1", viaProxy)).verified).to.equal(true);
    expect(live.parseCallback(webhook(EXAMPLE_WEBHOOK, "::ffff:127.0.0.1", viaProxy)).verified).to.equal(true);
    // a header from a remote peer is not trusted
    expect(live.parseCallback(webhook(EXAMPLE_WEBHOOK, "10.1.2.3", viaProxy)).verified).to.equal(false);
    // a client cannot prepend the Tokopay address: the proxy appends the real one last
    expect(tokopaySourceIp({ ip: "127.0.0.1", headers: { "x-forwarded-for": "178.128.104.179, 10.9.9.9" } })).to.equal("10.9.9.9");
    expect(live.parseCallback(webhook(EXAMPLE_WEBHOOK, "127.0.0.1")).verified).to.equal(false);
  });

  it("maps webhook statuses: only Success is paid", () => {
    const withStatus = (status: string) => adapter.parseCallback(webhook(EXAMPLE_WEBHOOK.replace('"status":"Success"', `"status":"${status}"`))).status;
    expect(withStatus("Success")).to.equal("PAID");
    expect(withStatus("Expired")).to.equal("EXPIRED");
    expect(withStatus("Failed")).to.equal("FAILED");
    expect(withStatus("Pending")).to.equal("PENDING");
    expect(withStatus("Paid?")).to.equal("PENDING");
  });

  it("reads a status-check answer as paid only when a field clearly says so", () => {
    expect(readOrderStatus({ trx_id: "TP1", total_bayar: 15105 })).to.equal("PENDING");
    expect(readOrderStatus({ status: "Unpaid" })).to.equal("PENDING");
    expect(readOrderStatus({ status: "UNPAID" })).to.equal("PENDING");
    expect(readOrderStatus({ status: "Paid" })).to.equal("PAID");
    expect(readOrderStatus({ status: "SUCCESS" })).to.equal("PAID");
    expect(readOrderStatus({ status: "Expired" })).to.equal("EXPIRED");
  });
});

describe("Tokopay: configuration", () => {
  it("defaults to the simulator and the fake credentials in sandbox mode", () => {
    const config = loadTokopayConfig({ providersMode: "sandbox", sandboxUrl: "http://127.0.0.1:4100" }, {});
    expect(config).to.include({ baseUrl: "http://127.0.0.1:4100/tokopay/v1", merchantId, secret });
    expect(config.allowedIps).to.deep.equal(["178.128.104.179", "127.0.0.1", "::1"]);
  });

  it("requires real credentials in live mode and trusts only Tokopay's address by default", () => {
    expect(() => loadTokopayConfig({ providersMode: "live", sandboxUrl: "" }, {}))
      .to.throw(ConfigError)
      .with.property("problems")
      .that.deep.equals(["TOKOPAY_MERCHANT_ID is required when PROVIDERS_MODE=live", "TOKOPAY_SECRET is required when PROVIDERS_MODE=live"]);
    const live = loadTokopayConfig({ providersMode: "live", sandboxUrl: "" }, { TOKOPAY_MERCHANT_ID: "M1", TOKOPAY_SECRET: "s".repeat(64) });
    expect(live).to.include({ baseUrl: "https://api.tokopay.id/v1" });
    expect(live.allowedIps).to.deep.equal(["178.128.104.179"]);
  });
});

describe("Tokopay: adapter against the simulator over HTTP", () => {
  const suite = gatewaySandbox({
    simulator: (receiverUrl) => createTokopaySimulator({ merchantId, secret, callbackUrl: receiverUrl }),
    adapter: ({ simUrl }) => new TokopayAdapter(sandboxConfig(`${simUrl}/v1`)),
    // real-time retries (2 min): a rejected webhook of one test never reaches the next one
    config: { status_field: false, spoof_ip: false, send_expired: false, time_scale: 1, fee_borne_by: "buyer" },
  });
  let simUrl: string;
  let receiver: CallbackReceiver;
  let adapter: TokopayAdapter;
  let seq = 0;

  const charge = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
    reference: `PAY-TOKO-${Date.now()}-${++seq}`,
    amount: 15000,
    channel: "QRIS",
    customer: { name: "Budi", email: "budi@example.com", phone: "081200000000" },
    items: [{ sku: "ML86", name: "86 Diamonds", price: 15000, quantity: 1 }],
    expiresAt: new Date(Date.now() + 3600_000),
    callbackUrl: "http://ignored.invalid/webhooks/tokopay",
    ...overrides,
  });

  before(() => {
    ({ simUrl, receiver, adapter } = suite);
  });

  it("creates a QRIS order: trx id, total_bayar with the buyer-borne fee, a QR string with a valid CRC", async () => {
    const result = await adapter.createCharge(charge({ amount: 15000 }));
    expect(result.gatewayReference).to.match(/^TP\d{6}[A-Z]{4}\d{6}$/);
    expect(result.amountToPay).to.equal(15105);
    expect(result.payUrl).to.equal(`${simUrl}/pay/${result.gatewayReference}`);
    const qr = result.qrString!;
    expect(qr.startsWith("000201")).to.equal(true);
    expect(qr.slice(-4)).to.equal(crc16Ccitt(qr.slice(0, -4)));
    expect(qr).to.include("540515105");
  });

  it("creates a VA order with a 16-digit number and the flat fee", async () => {
    const result = await adapter.createCharge(charge({ channel: "BRIVA", amount: 50000 }));
    expect(result.vaNumber).to.match(/^\d{16}$/);
    expect(result.amountToPay).to.equal(54200);
  });

  it("sends the same ref id again without creating a second order", async () => {
    const request = charge();
    const first = await adapter.createCharge(request);
    const again = await adapter.createCharge({ ...request, amount: 99000 });
    expect(again.gatewayReference).to.equal(first.gatewayReference);
    expect(again.amountToPay).to.equal(first.amountToPay);
    const orders = await simGet<{ ref_id: string }[]>(simUrl, "/orders");
    expect(orders.filter((order) => order.ref_id === request.reference)).to.have.length(1);
  });

  it("refuses a channel the store has not enabled before calling Tokopay, and relays the simulator's validation errors", async () => {
    const narrow = new TokopayAdapter(sandboxConfig(`${simUrl}/v1`, { channels: ["QRIS"] }));
    let error: unknown;
    await narrow.createCharge(charge({ channel: "BRIVA" })).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/channel "BRIVA" is not enabled/);
    await adapter.createCharge(charge({ amount: 500 })).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/Tokopay refused the request: Nominal minimal 1000/);
    expect(await simGet<unknown[]>(simUrl, "/orders")).to.have.length(0);
  });

  it("delivers a verified webhook on payment whose total_dibayar equals the order's total_bayar", async () => {
    const request = charge();
    const created = await adapter.createCharge(request);
    await simControl(simUrl, `/orders/${request.reference}/pay`); // throws unless the simulator answers 200
    const [callback] = await receiver.waitFor(1);
    expect(callback!.parsed).to.include({ verified: true, reference: request.reference, gatewayReference: created.gatewayReference, status: "PAID" });
    expect(callback!.parsed.amountPaid).to.equal(created.amountToPay);
    expect(JSON.parse(String(callback!.request.rawBody))).to.include({ status: "Success", signature: tokopayOrderSignature(merchantId, secret, request.reference) });
    const [delivery] = await simGet<{ accepted: boolean; attempts: unknown[] }[]>(simUrl, "/webhooks");
    expect(delivery).to.include({ accepted: true });
    expect(delivery!.attempts).to.have.length(1);
  });

  it("status check tolerates a missing status field (still PENDING) and reads it when present", async () => {
    const request = charge();
    const created = await adapter.createCharge(request);
    await simControl(simUrl, `/orders/${request.reference}/pay`);
    const withoutField = await adapter.queryStatus({ reference: request.reference, gatewayReference: created.gatewayReference });
    expect(withoutField).to.include({ status: "PENDING", amountPaid: null, gatewayReference: created.gatewayReference });
    await simControl(simUrl, "/config", { status_field: true });
    const paid = await adapter.queryStatus({ reference: request.reference, gatewayReference: created.gatewayReference, amount: 15000, channel: "QRIS" });
    expect(paid).to.include({ status: "PAID", amountPaid: created.amountToPay });

    const other = charge();
    await adapter.createCharge(other);
    expect((await adapter.queryStatus({ reference: other.reference, gatewayReference: null })).status).to.equal("PENDING");
    await simControl(simUrl, `/orders/${other.reference}/expire`);
    expect((await adapter.queryStatus({ reference: other.reference, gatewayReference: null })).status).to.equal("EXPIRED");
    expect(receiver.received).to.have.length(1); // no webhook on expiry by default
  });

  it("detects forged and tampered webhooks", async () => {
    const request = charge();
    const created = await adapter.createCharge(request);
    await simControl(simUrl, "/faults", { callbacks: { bad_signature: true } });
    await simControl(simUrl, `/orders/${request.reference}/pay`);
    const [forged] = await receiver.waitFor(1);
    expect(forged!.parsed).to.include({ verified: false, reason: "signature mismatch" });
    expect(forged!.answer.status).to.equal(401);

    await simControl(simUrl, "/faults", { callbacks: { bad_signature: false, wrong_merchant_id: true } });
    const second = charge();
    await adapter.createCharge(second);
    await simControl(simUrl, `/orders/${second.reference}/pay`);
    expect((await receiver.waitFor(2))[1]!.parsed).to.include({ verified: false, reason: "merchant_id is not ours" });

    // a valid signature does not vouch for the amount: a replay with another total is verified but differs
    await simControl(simUrl, "/faults", { callbacks: { wrong_merchant_id: false, replay_other_body: true, amount_mismatch: true } });
    const third = charge();
    const thirdCharge = await adapter.createCharge(third);
    await simControl(simUrl, `/orders/${third.reference}/pay`);
    const [, , mismatch, replay] = await receiver.waitFor(4);
    expect(mismatch!.parsed).to.include({ verified: true, amountPaid: thirdCharge.amountToPay - 1 });
    expect(replay!.parsed.verified).to.equal(true);
    expect(replay!.parsed.amountPaid).to.not.equal(thirdCharge.amountToPay);
    expect(created.gatewayReference).to.not.equal(thirdCharge.gatewayReference);
  });

  it("passes the IP check behind a local proxy when the simulator spoofs Tokopay's address", async () => {
    const strict = new TokopayAdapter(sandboxConfig(`${simUrl}/v1`, { allowedIps: ["178.128.104.179"] }));
    const strictReceiver = await startReceiver(strict);
    try {
      await simControl(simUrl, "/config", { callback_url: `${strictReceiver.url}/`, spoof_ip: true });
      const request = charge();
      await adapter.createCharge(request);
      await simControl(simUrl, `/orders/${request.reference}/pay`);
      expect((await strictReceiver.waitFor(1))[0]!.parsed.verified).to.equal(true);
      await simControl(simUrl, "/config", { spoof_ip: false });
      const other = charge();
      await adapter.createCharge(other);
      await simControl(simUrl, `/orders/${other.reference}/pay`);
      expect((await strictReceiver.waitFor(2))[1]!.parsed.reason).to.match(/source address 127\.0\.0\.1/);
    } finally {
      await simControl(simUrl, "/config", { callback_url: "" });
      await strictReceiver.stop();
    }
  });

  it("retries a webhook twice more, 2 minutes (scaled) apart, until the answer is {status:true}", async () => {
    await simControl(simUrl, "/config", { time_scale: 0.001 }); // 120 ms
    receiver.override = { status: 200, body: { success: true } };
    const request = charge();
    await adapter.createCharge(request);
    await simControl(simUrl, `/orders/${request.reference}/pay`);
    await receiver.waitFor(3);
    await sleep(400);
    expect(receiver.received).to.have.length(3);
    const [delivery] = await simGet<{ accepted: boolean; attempts: unknown[] }[]>(simUrl, "/webhooks");
    expect(delivery).to.include({ accepted: false });
    expect(delivery!.attempts).to.have.length(3);
  });

  it("scripted amount ending in 003 pays by itself with total_dibayar one rupiah short", async () => {
    const created = await adapter.createCharge(charge({ amount: 20003 }));
    const [callback] = await receiver.waitFor(1, 5000);
    expect(callback!.parsed).to.include({ verified: true, status: "PAID", amountPaid: created.amountToPay - 1 });
  });

  it("sends an Expired webhook only when send_expired is on", async () => {
    await simControl(simUrl, "/config", { send_expired: true });
    const request = charge();
    await adapter.createCharge(request);
    await simControl(simUrl, `/orders/${request.reference}/expire`);
    const [callback] = await receiver.waitFor(1);
    expect(callback!.parsed).to.include({ verified: true, status: "EXPIRED" });
  });

  it("bad credentials make the adapter throw a clear error", async () => {
    const wrongSecret = new TokopayAdapter(sandboxConfig(`${simUrl}/v1`, { secret: "x".repeat(64) }));
    const wrongMerchant = new TokopayAdapter(sandboxConfig(`${simUrl}/v1`, { merchantId: "M000000NOPE0000" }));
    const errors: string[] = [];
    await wrongSecret.createCharge(charge()).catch((e: unknown) => errors.push(String(e)));
    await wrongMerchant.createCharge(charge()).catch((e: unknown) => errors.push(String(e)));
    expect(errors).to.deep.equal(["Error: Tokopay refused the request: Signature tidak valid", "Error: Tokopay refused the request: Merchant tidak valid"]);
  });

  itThrowsOnFaults(() => simUrl, "order", () => adapter.createCharge(charge()), [
    ["http500", /HTTP 500 with a body that is not JSON/],
    ["malformed_json", /HTTP 200 with a body that is not JSON/],
    ["html_error_page", /HTTP 502 with a body that is not JSON/],
  ]);

  it("serves the account-info call signed with md5(merchant_id:secret)", async () => {
    const ok = await postJson(`${simUrl}/v1/merchant`, { merchant_id: merchantId, signature: tokopayMerchantSignature(merchantId, secret) });
    expect(ok.json).to.deep.include({ status: "Success" });
    const bad = await postJson(`${simUrl}/v1/merchant`, { merchant_id: merchantId, signature: md5(`${merchantId}${secret}`) });
    expect(bad.json).to.deep.include({ status: "0" });
  });
});
