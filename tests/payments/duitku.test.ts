import { expect } from "chai";
import { ConfigError } from "../../src/core/config";
import { HttpTimeoutError } from "../../src/core/http-client";
import { DuitkuAdapter, DuitkuError, duitkuSandboxPayer } from "../../src/modules/payments/gateways/duitku/duitku.adapter";
import { DUITKU_SANDBOX_CREDENTIALS, loadDuitkuConfig } from "../../src/modules/payments/gateways/duitku/duitku.config";
import {
  duitkuCallbackSignature,
  duitkuInquirySignature,
  duitkuPaymentMethodsSignature,
  duitkuPopSignature,
  duitkuStatusSignature,
} from "../../src/modules/payments/gateways/duitku/duitku.signature";
import type { ChargeRequest } from "../../src/modules/payments/gateways/payment-gateway";
import { createDuitkuSimulator, type DuitkuSimulator } from "../../src/sandbox/duitku/duitku.simulator";
import { chargeRequest, eventually, expectRejection, gatewaySandbox, simCallbacks, simControl, type CallbackReceiver } from "./gateway-harness";

const CODE = "DS99999";
const KEY = "FAKEAPIKEY000000000000000000000A";
const ORDER = "ORD-20240115-0001";
const WORKED_CALLBACK =
  "merchantCode=DS99999&amount=150000&merchantOrderId=ORD-20240115-0001&productDetail=86%20Diamonds&additionalParam=&paymentCode=SP&resultCode=00&merchantUserId=&reference=DS99999XYZ0001&signature=b9a541bf024538c18ba60194d062da53&publisherOrderId=&spUserHash=&settlementDate=2024-01-15&issuerCode=";

const formCallback = (adapter: DuitkuAdapter, body: string, contentType = "application/x-www-form-urlencoded") =>
  adapter.parseCallback({ subPath: "", headers: { "content-type": contentType }, rawBody: Buffer.from(body), ip: "127.0.0.1" });

describe("Duitku worked examples (duitku.md §8)", () => {
  it("computes every documented signature", () => {
    expect(duitkuInquirySignature(CODE, ORDER, 150000, KEY)).to.equal("d29577d06b3bb15632454ce23207f1cc");
    expect(duitkuCallbackSignature(CODE, "150000", ORDER, KEY)).to.equal("b9a541bf024538c18ba60194d062da53");
    expect(duitkuStatusSignature(CODE, ORDER, KEY)).to.equal("da4c8849b3d64f88b61788e2aa55debd");
    expect(duitkuPaymentMethodsSignature(CODE, 150000, "2024-01-15 10:00:00", KEY)).to.equal("0f33e8a2cde35605ca5c4b5b90fd77dea5f97931d0c08791a298a42a7b78d112");
    expect(duitkuPopSignature(CODE, 1705287600000, KEY)).to.equal("e35578d591232ecfc99d3a629a6c4929c9ea626b6a1693ed1fe8ecb6db25f4a9");
  });

  it("matches the official library's callback vector, and the amount must come before the order id", () => {
    expect(duitkuCallbackSignature("D0001", "10000", "12345", "732B39FC61796845775D2C4FB05332AF")).to.equal("4104f20a70c933113c66c004fe25a9f1");
    expect(duitkuInquirySignature(CODE, ORDER, 150000, KEY)).to.not.equal(duitkuCallbackSignature(CODE, "150000", ORDER, KEY));
  });

  it("verifies the worked form callback and refuses it once a signed field changes", () => {
    const adapter = new DuitkuAdapter({ baseUrl: "http://127.0.0.1:9", merchantCode: CODE, apiKey: KEY, timeoutMs: 100 });
    expect(formCallback(adapter, WORKED_CALLBACK)).to.deep.equal({
      verified: true,
      reference: ORDER,
      gatewayReference: "DS99999XYZ0001",
      eventKey: "DS99999XYZ0001:00",
      status: "PAID",
      amountPaid: 150000,
      requiresStatusCheck: true,
    });
    expect(formCallback(adapter, WORKED_CALLBACK.replace("amount=150000", "amount=150001")).verified).to.equal(false);
    expect(formCallback(adapter, WORKED_CALLBACK.replace("merchantOrderId=ORD-20240115-0001", "merchantOrderId=ORD-20240115-0002")).verified).to.equal(false);
    expect(formCallback(adapter, WORKED_CALLBACK.replace("merchantCode=DS99999", "merchantCode=DS11111")).reason).to.match(/not this store's/);
    // resultCode is not signed: anything but "00" reads as not paid.
    expect(formCallback(adapter, WORKED_CALLBACK.replace("resultCode=00", "resultCode=01"))).to.include({ verified: true, status: "PENDING" });
    expect(formCallback(adapter, "").verified).to.equal(false);
    expect(formCallback(adapter, "{not json", "application/json").verified).to.equal(false);
  });
});

describe("Duitku configuration", () => {
  it("defaults to the simulator and the fake project in sandbox mode", () => {
    expect(loadDuitkuConfig({ providersMode: "sandbox" }, "http://127.0.0.1:4100", {})).to.deep.equal({
      baseUrl: "http://127.0.0.1:4100/duitku/webapi/api/merchant",
      ...DUITKU_SANDBOX_CREDENTIALS,
      timeoutMs: 15_000,
    });
  });

  it("uses passport.duitku.com in live mode and lists every missing credential", () => {
    expect(() => loadDuitkuConfig({ providersMode: "live" }, "http://x", {})).to.throw(ConfigError, /DUITKU_MERCHANT_CODE is required.*DUITKU_API_KEY is required/);
    const live = loadDuitkuConfig({ providersMode: "live" }, "http://x", { DUITKU_MERCHANT_CODE: "D1", DUITKU_API_KEY: "k" });
    expect(live.baseUrl).to.equal("https://passport.duitku.com/webapi/api/merchant");
  });
});

describe("Duitku adapter against the simulator", () => {
  const suite = gatewaySandbox({
    simulator: () => createDuitkuSimulator({ defaultCallbackUrl: () => "http://127.0.0.1:9/nowhere" }),
    adapter: ({ sandboxUrl }) => new DuitkuAdapter(loadDuitkuConfig({ providersMode: "sandbox" }, sandboxUrl, { DUITKU_TIMEOUT_MS: "500" })),
    config: { time_scale: 1, auto_pay_ms: 0, response_pair: "status" },
  });
  let sandboxUrl: string;
  let simUrl: string;
  let simulator: DuitkuSimulator;
  let adapter: DuitkuAdapter;
  let receiver: CallbackReceiver;
  const charge = (overrides: Partial<ChargeRequest> = {}) => chargeRequest(receiver.url, { channel: "BC", ...overrides });
  before(() => {
    ({ sandboxUrl, simUrl, simulator, adapter, receiver } = suite);
  });

  it("lists the payment methods with their fees for an amount", async () => {
    const methods = await adapter.paymentMethods(150_000);
    expect(methods.find((m) => m.code === "BC")).to.deep.equal({ code: "BC", name: "BCA VA", imageUrl: "https://images.duitku.com/hotlink-ok/BC.PNG", fee: 4000 });
    expect(methods.find((m) => m.code === "SP")!.fee).to.equal(1050);
  });

  it("creates charges with a VA number, a QR string, a retail code or a pay page", async () => {
    const va = await adapter.createCharge(charge({ channel: "BC" }));
    expect(va).to.include({ amountToPay: 150_000 });
    expect(va.vaNumber).to.match(/^7007\d{12}$/);
    expect(va.gatewayReference).to.match(/^DSDS99999/);
    expect(va.payUrl).to.equal(`${sandboxUrl}/duitku/pay/${va.gatewayReference}`);
    expect((await fetch(va.payUrl!)).status).to.equal(200);
    const qris = await adapter.createCharge(charge({ channel: "SP" }));
    expect([qris.qrString?.startsWith("000201"), qris.vaNumber]).to.deep.equal([true, undefined]);
    const retail = await adapter.createCharge(charge({ channel: "IR" }));
    expect([retail.paymentCode?.startsWith("LPK"), retail.vaNumber]).to.deep.equal([true, undefined]);
    const wallet = await adapter.createCharge(charge({ channel: "OV", amount: 152_500 }));
    expect([wallet.vaNumber, wallet.qrString, wallet.amountToPay]).to.deep.equal([undefined, undefined, 152_500]);
  });

  it("reads either status pair the sandbox answers with", async () => {
    for (const pair of ["response", "both"]) {
      await simControl(simUrl, "/config", { response_pair: pair });
      const request = charge();
      const result = await adapter.createCharge(request);
      expect(result.vaNumber, pair).to.match(/^7007/);
      expect((result.raw as Record<string, unknown>).statusCode, pair).to.equal(pair === "both" ? "00" : undefined);
      const status = await adapter.queryStatus({ reference: request.reference, gatewayReference: null });
      expect([status.status, (status.raw as Record<string, unknown>).responseCode], pair).to.deep.equal(["PENDING", "01"]);
    }
  });

  it("refuses a bad channel, a small amount, a reused order id and bad credentials with clear errors", async () => {
    await expectRejection(adapter.createCharge(charge({ channel: "bca" })), DuitkuError, /not a payment method code/);
    await expectRejection(adapter.createCharge(charge({ amount: 9_000, items: [] })), DuitkuError, /HTTP 400 Minimum Payment 10000 IDR/);
    const request = charge();
    await adapter.createCharge(request);
    await expectRejection(adapter.createCharge(request), DuitkuError, /HTTP 409 Duplicate merchantOrderId/);
    const wrong = new DuitkuAdapter({ baseUrl: `${sandboxUrl}/duitku/webapi/api/merchant`, merchantCode: CODE, apiKey: "WRONG", timeoutMs: 500 });
    await expectRejection(wrong.createCharge(charge()), DuitkuError, /HTTP 401 Wrong signature \(check DUITKU_MERCHANT_CODE and DUITKU_API_KEY\)/);
    await expectRejection(wrong.queryStatus({ reference: request.reference, gatewayReference: null }), DuitkuError, /HTTP 401/);
    await expectRejection(adapter.queryStatus({ reference: "ORD-UNKNOWN", gatewayReference: null }), DuitkuError, /HTTP 404 Transaction not found/);
  });

  it("posts a form callback on payment that verifies, with the amount the charge asked for", async () => {
    const request = charge();
    const result = await adapter.createCharge(request);
    expect((await adapter.queryStatus({ reference: request.reference, gatewayReference: null })).status).to.equal("PENDING");
    await simControl(simUrl, `/transactions/${request.reference}/pay`);
    await receiver.waitFor(1);
    const [paid] = receiver.received;
    expect(paid.request.headers["content-type"]).to.equal("application/x-www-form-urlencoded");
    expect(paid.parsed).to.include({ verified: true, status: "PAID", reference: request.reference, gatewayReference: result.gatewayReference, amountPaid: result.amountToPay });
    expect(paid.answer.status).to.equal(200);
    expect(await adapter.queryStatus({ reference: request.reference, gatewayReference: null })).to.deep.include({
      status: "PAID",
      amountPaid: 150_000,
      gatewayReference: result.gatewayReference,
    });
  });

  it("never reads a failed or expired callback as paid, and the status API tells which", async () => {
    const failed = charge();
    await adapter.createCharge(failed);
    await simControl(simUrl, `/transactions/${failed.reference}/fail`);
    const expired = charge();
    await adapter.createCharge(expired);
    await simControl(simUrl, `/transactions/${expired.reference}/expire`);
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => [r.parsed.verified, r.parsed.status, r.parsed.eventKey.endsWith(":01")])).to.deep.equal([
      [true, "PENDING", true],
      [true, "PENDING", true],
    ]);
    expect((await adapter.queryStatus({ reference: failed.reference, gatewayReference: null })).status).to.equal("FAILED");
    expect((await adapter.queryStatus({ reference: expired.reference, gatewayReference: null })).status).to.equal("EXPIRED");
  });

  it("lets a forged signature fail (and retries it 3 times), and shows a validly signed wrong amount", async () => {
    const forged = charge();
    await adapter.createCharge(forged);
    await simControl(simUrl, "/config", { time_scale: 1_000_000 });
    await simControl(simUrl, "/faults", { callbacks: { bad_signature: true } });
    await simControl(simUrl, `/transactions/${forged.reference}/pay`);
    await receiver.waitFor(4);
    expect(receiver.received.map((r) => [r.parsed.verified, r.answer.status])).to.deep.equal(Array(4).fill([false, 400]));
    await eventually(async () => (await simCallbacks(simUrl))[0].attempts.length === 4);

    receiver.clear();
    await simControl(simUrl, "/config", { time_scale: 1 }); // or the new charge would expire at once
    const wrong = charge();
    const result = await adapter.createCharge(wrong);
    await simControl(simUrl, "/faults", { callbacks: { bad_signature: false, amount_mismatch: true } });
    await simControl(simUrl, `/transactions/${wrong.reference}/pay`);
    await receiver.waitFor(1);
    expect(receiver.received[0].parsed).to.include({ verified: true, status: "PAID", amountPaid: result.amountToPay + 1 });
  });

  it("still verifies a JSON callback, a duplicate, and a paid-after-expired sequence", async () => {
    const request = charge();
    await adapter.createCharge(request);
    await simControl(simUrl, "/faults", { callbacks: { json_instead_of_form: true, duplicate: true, paid_after_expired: true } });
    await simControl(simUrl, `/transactions/${request.reference}/pay`);
    await receiver.waitFor(4);
    expect(receiver.received.map((r) => [r.parsed.verified, r.parsed.status])).to.deep.equal([
      [true, "PENDING"],
      [true, "PENDING"],
      [true, "PAID"],
      [true, "PAID"],
    ]);
    expect(receiver.received[0].request.headers["content-type"]).to.equal("application/json");
  });

  it("pays by itself after the configured delay, for an autopay buyer, and through the simulator object", async () => {
    await simControl(simUrl, "/config", { auto_pay_ms: 30 });
    await adapter.createCharge(charge());
    await simControl(simUrl, "/config", { auto_pay_ms: 0 });
    await adapter.createCharge(charge({ customer: { name: "Auto", email: "autopay@example.test" } }));
    const direct = charge();
    await adapter.createCharge(direct);
    await simulator.pay(direct.reference);
    const viaPayer = charge();
    await adapter.createCharge(viaPayer);
    await duitkuSandboxPayer(sandboxUrl)(viaPayer);
    await receiver.waitFor(4, 4000);
    expect(receiver.received.map((r) => r.parsed.status)).to.deep.equal(["PAID", "PAID", "PAID", "PAID"]);
  });

  it("serves POP createInvoice signed by headers, refusing a stale timestamp", async () => {
    const send = (timestamp: number) =>
      fetch(`${sandboxUrl}/duitku/api/merchant/createInvoice`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-duitku-merchantcode": CODE,
          "x-duitku-timestamp": String(timestamp),
          "x-duitku-signature": duitkuPopSignature(CODE, timestamp, KEY),
        },
        body: JSON.stringify({ merchantCode: CODE, paymentAmount: 20_000, merchantOrderId: `POP-${Date.now()}`, productDetails: "x", email: "a@b.test", callbackUrl: receiver.url, returnUrl: receiver.url }),
      });
    const ok = await send(Date.now());
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.include({ statusCode: "00", merchantCode: CODE });
    expect((await send(Date.now() - 10 * 60_000)).status).to.equal(401);
  });

  it("throws clear errors on a timeout, a 500 and malformed JSON instead of hanging or mis-reading", async () => {
    await simControl(simUrl, "/faults", { endpoints: { inquiry: { timeout: true } } });
    await expectRejection(adapter.createCharge(charge()), HttpTimeoutError, /within 500 ms/);
    await simControl(simUrl, "/faults", { endpoints: { inquiry: { http500: true } } });
    await expectRejection(adapter.createCharge(charge()), DuitkuError, /HTTP 500 Internal Server Error/);
    await simControl(simUrl, "/faults", { endpoints: { inquiry: {}, status: { malformed_json: true } } });
    await expectRejection(adapter.queryStatus({ reference: "x", gatewayReference: null }), DuitkuError, /HTTP 200/);
  });
});
