import { expect } from "chai";
import { ConfigError } from "../../src/core/config";
import { httpRequest, postJson } from "../../src/core/http-client";
import type { ChargeRequest } from "../../src/modules/payments/gateways/payment-gateway";
import { XenditAdapter, type XenditInvoice } from "../../src/modules/payments/gateways/xendit/xendit.adapter";
import { loadXenditConfig, XENDIT_SANDBOX_CREDENTIALS, type XenditConfig } from "../../src/modules/payments/gateways/xendit/xendit.config";
import { xenditAuthorization } from "../../src/modules/payments/gateways/xendit/xendit.signature";
import { createSimulators } from "../../src/sandbox/simulators";
import { createLogger } from "../../src/core/logger";
import { sleep } from "../../src/sandbox/sim-kit";
import { createXenditSimulator } from "../../src/sandbox/xendit/xendit.simulator";
import { testConfig } from "../helpers/env";
import { expectRejection, gatewaySandbox, hostSimulator, itThrowsOnFaults, simControl, simGet, type CallbackReceiver } from "./gateway-harness";

const { secretKey, callbackToken } = XENDIT_SANDBOX_CREDENTIALS;

// the provider doc's worked example (../shared/providers/xendit.md §6)
const EXAMPLE_CALLBACK =
  '{"id":"65a4f1c2e4b0a1b2c3d4e5f6","external_id":"ORD-20240115-0001","user_id":"5f0000000000000000000001","is_high":false,"status":"PAID","merchant_name":"Lapak","amount":150000,"paid_amount":150000,"payer_email":"budi@example.com","description":"86 Diamonds Mobile Legends","paid_at":"2024-01-15T03:05:00.000Z","payment_method":"QR_CODE","payment_channel":"QRIS","payment_destination":"","currency":"IDR","created":"2024-01-15T03:00:00.000Z","updated":"2024-01-15T03:05:01.000Z"}';

const sandboxConfig = (baseUrl: string, overrides: Partial<XenditConfig> = {}): XenditConfig => ({
  baseUrl,
  secretKey,
  callbackToken,
  timeoutMs: 500,
  ...overrides,
});

const callback = (body: string, token: string | null = callbackToken, subPath = "/invoice") => ({
  subPath,
  headers: token === null ? {} : { "x-callback-token": token },
  rawBody: Buffer.from(body),
  ip: "127.0.0.1",
});

describe("Xendit: authorization and callback verification (worked example)", () => {
  const adapter = new XenditAdapter(sandboxConfig("http://unused.invalid"));

  it("builds the documented Basic header (secret key plus a trailing colon)", () => {
    expect(xenditAuthorization(secretKey)).to.equal("Basic eG5kX2RldmVsb3BtZW50X0ZBS0VGQUtFRkFLRUZBS0UwMDAwOg==");
  });

  it("accepts the worked-example callback with the right token", () => {
    expect(adapter.parseCallback(callback(EXAMPLE_CALLBACK))).to.deep.equal({
      verified: true,
      reference: "ORD-20240115-0001",
      gatewayReference: "65a4f1c2e4b0a1b2c3d4e5f6",
      eventKey: "65a4f1c2e4b0a1b2c3d4e5f6:PAID",
      status: "PAID",
      amountPaid: 150000,
      requiresStatusCheck: true,
    });
    expect(adapter.answer("accepted").status).to.equal(200);
    expect(adapter.answer("rejected").status).to.equal(401);
  });

  it("rejects a wrong or missing token, another path and junk; reports a short paid_amount as is", () => {
    expect(adapter.parseCallback(callback(EXAMPLE_CALLBACK, "fake-callback-token-0001")).verified).to.equal(false);
    expect(adapter.parseCallback(callback(EXAMPLE_CALLBACK, null)).verified).to.equal(false);
    expect(adapter.parseCallback(callback(EXAMPLE_CALLBACK, callbackToken, "/qr")).verified).to.equal(false);
    expect(adapter.parseCallback(callback("{oops")).reason).to.equal("body is not JSON");
    const short = adapter.parseCallback(callback(EXAMPLE_CALLBACK.replace('"paid_amount":150000', '"paid_amount":149999')));
    expect(short).to.include({ verified: true, amountPaid: 149999 });
  });

  it("maps PAID and SETTLED to paid, EXPIRED to expired, anything else to pending", () => {
    const status = (value: string) => adapter.parseCallback(callback(EXAMPLE_CALLBACK.replace('"status":"PAID"', `"status":"${value}"`))).status;
    expect([status("PAID"), status("SETTLED"), status("EXPIRED"), status("PENDING"), status("COMPLETING")]).to.deep.equal([
      "PAID",
      "PAID",
      "EXPIRED",
      "PENDING",
      "PENDING",
    ]);
  });
});

describe("Xendit: configuration", () => {
  it("defaults to the simulator and the fake key and token in sandbox mode", () => {
    const config = loadXenditConfig({ providersMode: "sandbox", sandboxUrl: "http://127.0.0.1:4100", env: "development" }, {});
    expect(config).to.include({ baseUrl: "http://127.0.0.1:4100/xendit", secretKey, callbackToken });
  });

  it("requires a key and token in live mode and refuses a production key outside production", () => {
    expect(() => loadXenditConfig({ providersMode: "live", sandboxUrl: "", env: "production" }, {}))
      .to.throw(ConfigError)
      .with.property("problems")
      .that.deep.equals(["XENDIT_SECRET_KEY is required when PROVIDERS_MODE=live", "XENDIT_CALLBACK_TOKEN is required when PROVIDERS_MODE=live"]);
    const live = { XENDIT_SECRET_KEY: "xnd_production_REAL", XENDIT_CALLBACK_TOKEN: "token" };
    expect(loadXenditConfig({ providersMode: "live", sandboxUrl: "", env: "production" }, live).baseUrl).to.equal("https://api.xendit.co");
    expect(() => loadXenditConfig({ providersMode: "sandbox", sandboxUrl: "http://127.0.0.1:4100", env: "development" }, live)).to.throw(ConfigError);
    expect(() => loadXenditConfig({ providersMode: "live", sandboxUrl: "", env: "development" }, live)).to.throw(ConfigError);
  });

  it("the sandbox hosts both simulators (Tokopay and Xendit)", () => {
    const names = createSimulators(testConfig(), createLogger({ level: "error", format: "json", silent: true }), { storeUrl: () => "http://127.0.0.1:1" }).map(
      (simulator) => simulator.name,
    );
    expect(names).to.include.members(["tokopay", "xendit"]);
  });
});

describe("Xendit: adapter against the simulator over HTTP", () => {
  const suite = gatewaySandbox({
    simulator: (receiverUrl) => createXenditSimulator({ secretKey, callbackToken, callbackUrl: () => `${receiverUrl()}/invoice` }),
    adapter: ({ simUrl }) => new XenditAdapter(sandboxConfig(simUrl)),
    // real-time retries (15 min): a rejected callback of one test never reaches the next one
    config: { time_scale: 1, allow_live_keys: false },
  });
  let simUrl: string;
  let receiver: CallbackReceiver;
  let adapter: XenditAdapter;
  let seq = 0;

  const charge = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
    reference: `PAY-XND-${Date.now()}-${++seq}`,
    amount: 150000,
    channel: "INVOICE",
    customer: { name: "Budi", email: "budi@example.com" },
    items: [{ sku: "ML86", name: "86 Diamonds Mobile Legends", price: 150000, quantity: 1 }],
    expiresAt: new Date(Date.now() + 3600_000),
    callbackUrl: "http://ignored.invalid/webhooks/xendit/invoice",
    returnUrl: "https://lapak.example/orders/1",
    ...overrides,
  });

  const invoices = () => simGet<XenditInvoice[]>(simUrl, "/invoices");

  before(() => {
    ({ simUrl, receiver, adapter } = suite);
  });

  it("creates an invoice and returns its hosted page, amount and expiry", async () => {
    const request = charge();
    const before = Date.now();
    const result = await adapter.createCharge(request);
    expect(result.gatewayReference).to.match(/^[0-9a-f]{24}$/);
    expect(result.amountToPay).to.equal(150000);
    expect(result.payUrl).to.equal(`${simUrl}/checkout/${result.gatewayReference}`);
    expect(result.expiresAt!.getTime()).to.be.within(before + 3590_000, Date.now() + 3600_000);
    const [stored] = await invoices();
    expect(stored).to.include({ external_id: request.reference, amount: 150000, status: "PENDING", success_redirect_url: request.returnUrl });
  });

  it("reuses a PENDING invoice with the same external_id and amount instead of creating a second one", async () => {
    const request = charge();
    const first = await adapter.createCharge(request);
    const retry = await adapter.createCharge(request);
    expect(retry.gatewayReference).to.equal(first.gatewayReference);
    expect(await invoices()).to.have.length(1);
    // another amount, or an invoice no longer pending, gets a new invoice
    const otherAmount = await adapter.createCharge({ ...request, amount: 160000 });
    expect(otherAmount.gatewayReference).to.not.equal(first.gatewayReference);
    await adapter.expireInvoice(first.gatewayReference);
    const afterExpiry = await adapter.createCharge(request);
    expect(afterExpiry.gatewayReference).to.not.equal(first.gatewayReference);
    expect(await invoices()).to.have.length(3);
  });

  it("restricts the page to one payment method, and relays an unavailable method as a clear error", async () => {
    const qris = await adapter.createCharge(charge({ channel: "QRIS" }));
    expect((await adapter.getInvoice(qris.gatewayReference)).payment_methods).to.deep.equal(["QRIS"]);
    let error: unknown;
    await adapter.createCharge(charge({ channel: "BITCOIN" })).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/UNAVAILABLE_PAYMENT_METHOD_ERROR/);
  });

  it("delivers a verified PAID callback on payment, then SETTLED; queryStatus agrees", async () => {
    const request = charge();
    const created = await adapter.createCharge(request);
    expect((await adapter.queryStatus({ reference: request.reference, gatewayReference: created.gatewayReference })).status).to.equal("PENDING");
    await simControl(simUrl, `/invoices/${created.gatewayReference}/pay`, { channel: "BCA" }); // throws unless the simulator answers 200
    const [first] = await receiver.waitFor(1);
    expect(first!.request.subPath).to.equal("/invoice");
    expect(first!.request.headers["x-callback-token"]).to.equal(callbackToken);
    expect(first!.parsed).to.include({ verified: true, reference: request.reference, gatewayReference: created.gatewayReference, status: "PAID" });
    expect(first!.parsed.amountPaid).to.equal(created.amountToPay);
    expect(JSON.parse(String(first!.request.rawBody))).to.include({ payment_method: "BANK_TRANSFER", payment_channel: "BCA" });

    const status = await adapter.queryStatus({ reference: request.reference, gatewayReference: created.gatewayReference });
    expect(status).to.include({ status: "PAID", amountPaid: 150000, gatewayReference: created.gatewayReference });
    // found by external_id too when the invoice id was never stored
    expect(await adapter.queryStatus({ reference: request.reference, gatewayReference: null })).to.include({ status: "PAID" });

    await simControl(simUrl, `/invoices/${created.gatewayReference}/settle`);
    const [, settled] = await receiver.waitFor(2);
    expect(settled!.parsed).to.include({ verified: true, status: "PAID", eventKey: `${created.gatewayReference}:SETTLED` });
    const [delivery] = await simGet<{ accepted: boolean }[]>(simUrl, "/callbacks");
    expect(delivery).to.include({ accepted: true });
  });

  it("expires an invoice through the API: EXPIRED callback and status", async () => {
    const request = charge();
    const created = await adapter.createCharge(request);
    const expired = await adapter.expireInvoice(created.gatewayReference);
    expect(expired.status).to.equal("EXPIRED");
    const [cb] = await receiver.waitFor(1);
    expect(cb!.parsed).to.include({ verified: true, status: "EXPIRED", amountPaid: null });
    expect(await adapter.queryStatus({ reference: request.reference, gatewayReference: created.gatewayReference })).to.include({ status: "EXPIRED", amountPaid: null });
    // paying an expired invoice is refused
    await expectRejection(simControl(simUrl, `/invoices/${created.gatewayReference}/pay`), Error, /answered 409/);
  });

  it("detects a wrong or missing token and a short paid_amount", async () => {
    await simControl(simUrl, "/faults", { callbacks: { wrong_token: true } });
    const first = await adapter.createCharge(charge());
    await simControl(simUrl, `/invoices/${first.gatewayReference}/pay`);
    const [wrong] = await receiver.waitFor(1);
    expect(wrong!.parsed).to.include({ verified: false });
    expect(wrong!.answer.status).to.equal(401);

    await simControl(simUrl, "/faults", { callbacks: { wrong_token: false, missing_token: true } });
    const second = await adapter.createCharge(charge());
    await simControl(simUrl, `/invoices/${second.gatewayReference}/pay`);
    expect((await receiver.waitFor(2))[1]!.parsed.verified).to.equal(false);

    await simControl(simUrl, "/faults", { callbacks: { missing_token: false, amount_mismatch: true } });
    const third = await adapter.createCharge(charge());
    await simControl(simUrl, `/invoices/${third.gatewayReference}/pay`);
    expect((await receiver.waitFor(3))[2]!.parsed).to.include({ verified: true, status: "PAID", amountPaid: third.amountToPay - 1 });
  });

  it("can deliver EXPIRED after PAID (out of order) and duplicates, as Xendit documents", async () => {
    await simControl(simUrl, "/faults", { callbacks: { out_of_order: true, duplicate: true } });
    const created = await adapter.createCharge(charge());
    await simControl(simUrl, `/invoices/${created.gatewayReference}/pay`);
    const received = await receiver.waitFor(4);
    expect(received.map((r) => r.parsed.eventKey)).to.deep.equal([
      `${created.gatewayReference}:PAID`,
      `${created.gatewayReference}:PAID`,
      `${created.gatewayReference}:EXPIRED`,
      `${created.gatewayReference}:EXPIRED`,
    ]);
  });

  it("retries a refused callback on the documented schedule, scaled (15 min, then 45 min later, ...)", async () => {
    await simControl(simUrl, "/config", { time_scale: 0.0002 }); // 15 min → 180 ms, 1 h → 720 ms
    receiver.override = { status: 500, body: { error: "down" } };
    const created = await adapter.createCharge(charge());
    await simControl(simUrl, `/invoices/${created.gatewayReference}/pay`);
    await receiver.waitFor(1);
    await sleep(400); // the first retry (180 ms) is due, the second (720 ms) not yet
    expect(receiver.received).to.have.length(2);
    receiver.override = undefined;
    await receiver.waitFor(3, 2000);
    await sleep(200);
    const [delivery] = await simGet<{ accepted: boolean; attempts: { status: number }[] }[]>(simUrl, "/callbacks");
    expect(delivery!.attempts.map((attempt) => attempt.status)).to.deep.equal([500, 500, 200]);
    expect(delivery).to.include({ accepted: true });
  });

  it("scripted amount ending in 001 pays by itself after 2 s", async () => {
    const created = await adapter.createCharge(charge({ amount: 150001 }));
    const [cb] = await receiver.waitFor(1, 5000);
    expect(cb!.parsed).to.include({ verified: true, status: "PAID", gatewayReference: created.gatewayReference, amountPaid: 150001 });
  });

  it("bad credentials make the adapter throw a clear error; the simulator refuses the colon-less header and live keys", async () => {
    const wrong = new XenditAdapter(sandboxConfig(simUrl, { secretKey: "xnd_development_WRONG" }));
    let error: unknown;
    await wrong.createCharge(charge()).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/Xendit refused the request: INVALID_API_KEY/);
    const colonless = await httpRequest(`${simUrl}/v2/invoices?external_id=x`, {
      headers: { authorization: "Basic eG5kX2RldmVsb3BtZW50X0ZBS0VGQUtFRkFLRUZBS0UwMDAw" },
    });
    expect(colonless.status).to.equal(401);

    const liveKey = "xnd_production_FAKE0000";
    const liveSim = await hostSimulator(createXenditSimulator({ secretKey: liveKey, callbackToken, callbackUrl: () => receiver.url }));
    try {
      const live = new XenditAdapter(sandboxConfig(liveSim.simUrl, { secretKey: liveKey }));
      let liveError: unknown;
      await live.createCharge(charge()).catch((e: unknown) => (liveError = e));
      expect(String(liveError)).to.match(/INVALID_API_KEY/);
      await simControl(liveSim.simUrl, "/config", { allow_live_keys: true });
      expect((await live.createCharge(charge())).gatewayReference).to.match(/^[0-9a-f]{24}$/);
    } finally {
      await liveSim.stop();
    }
  });

  it("validates like Xendit: missing external_id or a non-positive amount is a 400, an unknown id a 404", async () => {
    const auth = { authorization: xenditAuthorization(secretKey) };
    const missing = await postJson(`${simUrl}/v2/invoices`, { amount: 1000 }, auth);
    expect(missing).to.deep.include({ status: 400 });
    expect(missing.json).to.include({ error_code: "API_VALIDATION_ERROR" });
    expect((await postJson(`${simUrl}/v2/invoices`, { external_id: "X", amount: 0 }, auth)).status).to.equal(400);
    let error: unknown;
    await adapter.getInvoice("000000000000000000000000").catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/INVOICE_NOT_FOUND_ERROR/);
  });

  itThrowsOnFaults(() => simUrl, "invoices", () => adapter.createCharge(charge()), [
    ["http500", /HTTP 500 with a body that is not JSON/],
    ["http503", /HTTP 503 with a body that is not JSON/],
    ["malformed_json", /HTTP 200 with a body that is not JSON/],
  ]);
});
