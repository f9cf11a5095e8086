import { expect } from "chai";
import { createTripaySimulator } from "../../src/sandbox/tripay/tripay.simulator";
import { TripayAdapter } from "../../src/modules/payments/gateways/tripay/tripay.adapter";
import { TRIPAY_SANDBOX_CREDENTIALS } from "../../src/modules/payments/gateways/tripay/tripay.config";
import { tripayCallbackSignature, tripayCreateSignature, tripayOpenSignature } from "../../src/modules/payments/gateways/tripay/tripay.signature";
import { chargeRequest, eventually, expectRejection, gatewaySandbox, itThrowsOnFaults, simCallbacks, simControl, type ReceivedCallback } from "./gateway-harness";

const WORKED_BODY =
  '{"reference":"DEV-T99999000000001ABCDE","merchant_ref":"ORD-20240115-0001","payment_method":"QRIS","payment_method_code":"QRIS","total_amount":150000,"fee_merchant":1800,"fee_customer":0,"total_fee":1800,"amount_received":148200,"is_closed_payment":1,"status":"PAID","paid_at":1705300000,"note":null}';

describe("Tripay: the worked examples of tripay.md", () => {
  it("signs the closed-payment create string with the integer amount", () => {
    expect(tripayCreateSignature("FAKE-priv-key-0000-0000", "T99999", "ORD-20240115-0001", 150000)).to.equal(
      "76740641fa24637634b8eba4551503bc27318f9024529a293dc302b6329cbb38",
    );
    expect(tripayCreateSignature("FAKE-priv-key-0000-0000", "T99999", "ORD-20240115-0001", "150000.00")).to.equal(
      "b508c584808cf5f461b7e1e2541c1346e85cf9d3bfee9b6928515e63b0d3452f",
    );
    expect(tripayOpenSignature("FAKE-priv-key-0000-0000", "T99999", "BCAVA", "ORD-20240115-0001")).to.equal(
      "8367021c2eacc7e7f79fe652dec4c378520708b555a39da26681da3e08b46f84",
    );
    expect(tripayCreateSignature("ytf6ooi2gmlNPfpchd94jDOk8hRWOu", "T0001", "INV55567", 1500000)).to.equal(
      "9f167eba844d1fcb369404e2bda53702e2f78f7aa12e91da6715414e65b8c86a",
    );
  });

  it("verifies the 300-byte callback over its raw bytes, and refuses the pretty-printed twin", () => {
    expect(Buffer.byteLength(WORKED_BODY)).to.equal(300);
    expect(tripayCallbackSignature("FAKE-priv-key-0000-0000", WORKED_BODY)).to.equal("8fc1863a5357c001a43b6e5978701f18532ff8500910cea05da4b6f960108e6d");
    const pretty = JSON.stringify(JSON.parse(WORKED_BODY), null, 4);
    expect(tripayCallbackSignature("FAKE-priv-key-0000-0000", pretty)).to.equal("4b7750ea2cc7a2acd5b3086c9802c877b68de00a580f9cdb9d6910965b0663c0");

    const adapter = new TripayAdapter({ baseUrl: "http://unused", timeoutMs: 1000, ...TRIPAY_SANDBOX_CREDENTIALS });
    const headers = { "x-callback-event": "payment_status", "x-callback-signature": "8fc1863a5357c001a43b6e5978701f18532ff8500910cea05da4b6f960108e6d" };
    const good = adapter.parseCallback({ subPath: "", headers, rawBody: Buffer.from(WORKED_BODY), ip: "" });
    expect(good).to.include({ verified: true, reference: "ORD-20240115-0001", gatewayReference: "DEV-T99999000000001ABCDE", status: "PAID", amountPaid: 150000 });
    const bad = adapter.parseCallback({ subPath: "", headers, rawBody: Buffer.from(pretty), ip: "" });
    expect(bad.verified).to.equal(false);
    const wrongEvent = adapter.parseCallback({ subPath: "", headers: { ...headers, "x-callback-event": "other" }, rawBody: Buffer.from(WORKED_BODY), ip: "" });
    expect(wrongEvent.verified).to.equal(false);
  });
});

describe("Tripay adapter against the simulator over HTTP", function () {
  this.timeout(20_000);
  const suite = gatewaySandbox({
    simulator: (receiverUrl) => createTripaySimulator({ defaultCallbackUrl: receiverUrl }),
    adapter: ({ simUrl }) => new TripayAdapter({ baseUrl: `${simUrl}/api-sandbox`, timeoutMs: 1500, ...TRIPAY_SANDBOX_CREDENTIALS }),
    config: { auto_pay_ms: 0, retry_interval_ms: 120_000 },
  });
  const received = () => suite.receiver.received;
  const rawOf = (callback: ReceivedCallback) => callback.request.rawBody.toString();
  const charge = (channel = "QRIS", amount = 150_000) =>
    suite.adapter.createCharge(chargeRequest(suite.receiver.url, { channel, amount, items: [{ sku: "ML86", name: "86 Diamonds", price: amount, quantity: 1 }] }));
  const force = (reference: string, outcome: string) => simControl(suite.simUrl, `/transactions/${reference}/${outcome}`);
  const faults = (body: unknown) => simControl(suite.simUrl, "/faults", body);

  it("creates a QRIS charge and a BCA VA charge with instructions", async () => {
    const qris = await charge("QRIS");
    expect(qris.gatewayReference).to.match(/^DEV-T99999\d{9}[A-Z]{5}$/);
    expect(qris.amountToPay).to.equal(150_000);
    expect(qris.qrString).to.be.a("string");
    const va = await charge("BCAVA");
    expect(va.vaNumber).to.match(/^\d+$/);
    expect(va.expiresAt).to.be.instanceOf(Date);
  });

  it("a forced payment reaches the receiver signed, verifies, and queryStatus says PAID", async () => {
    const result = await charge();
    expect((await suite.adapter.queryStatus({ reference: "x", gatewayReference: result.gatewayReference })).status).to.equal("PENDING");
    await force(result.gatewayReference, "pay");
    expect(received()).to.have.length(1);
    expect(received()[0].parsed).to.include({ verified: true, status: "PAID", amountPaid: result.amountToPay, gatewayReference: result.gatewayReference });
    const status = await suite.adapter.queryStatus({ reference: "x", gatewayReference: result.gatewayReference });
    expect(status).to.include({ status: "PAID", amountPaid: 150_000 });
    expect((await simCallbacks(suite.simUrl)).at(-1)!.accepted).to.equal(true);
  });

  it("queryStatus by merchant_ref alone and after expiry", async () => {
    const result = await charge();
    await force(result.gatewayReference, "expire");
    expect((await suite.adapter.queryStatus({ reference: result.raw ? String((result.raw as any).merchant_ref) : "", gatewayReference: null })).status).to.equal("EXPIRED");
  });

  it("detects a forged signature, a wrong amount, and escaped slashes are still verified over raw bytes", async () => {
    await faults({ callbacks: { bad_signature: true } });
    const forged = await charge();
    await force(forged.gatewayReference, "pay");
    expect(received().at(-1)!.parsed.verified).to.equal(false);

    await faults({ callbacks: { bad_signature: false, wrong_amount: true } });
    const short = await charge();
    await force(short.gatewayReference, "pay");
    expect(received().at(-1)!.parsed).to.include({ verified: true, amountPaid: short.amountToPay - 1 });

    await faults({ callbacks: { wrong_amount: false, escaped_slashes: true } });
    const escaped = await charge();
    await force(escaped.gatewayReference, "pay");
    const raw = rawOf(received().at(-1)!);
    expect(raw).to.include("https:\\/\\/tripay.co.id");
    expect(raw).to.not.equal(JSON.stringify(JSON.parse(raw)));
    expect(received().at(-1)!.parsed.verified).to.equal(true);
  });

  it("pays by itself after auto_pay_ms, and retries a refused callback on the (scaled) schedule", async () => {
    await simControl(suite.simUrl, "/config", { auto_pay_ms: 100, retry_interval_ms: 50 });
    const auto = await charge();
    await eventually(() => received().some((r) => r.parsed.gatewayReference === auto.gatewayReference));
    await faults({ callbacks: { bad_signature: true } });
    const refused = await charge();
    await eventually(async () => (await simCallbacks(suite.simUrl)).find((d) => d.body.includes(refused.gatewayReference))?.attempts.length === 4);
    expect(received().filter((r) => r.parsed.gatewayReference === refused.gatewayReference)).to.have.length(4); // 1 + 3 retries, then Tripay gives up
  });

  it("bad credentials and refused charges throw clear errors", async () => {
    const baseUrl = `${suite.simUrl}/api-sandbox`;
    const wrong = new TripayAdapter({ baseUrl, timeoutMs: 1500, ...TRIPAY_SANDBOX_CREDENTIALS, apiKey: "DEV-wrong" });
    await expectRejection(wrong.queryStatus({ reference: "x", gatewayReference: "y" }), Error, /Invalid API Key.*TRIPAY_API_KEY/);
    const badKey = new TripayAdapter({ baseUrl, timeoutMs: 1500, ...TRIPAY_SANDBOX_CREDENTIALS, privateKey: "wrong" });
    await expectRejection(badKey.createCharge(chargeRequest(suite.receiver.url, { channel: "QRIS", amount: 20_000 })), Error, /Invalid signature/);
    await expectRejection(charge("NOPE"), Error, /not enabled/);
  });

  itThrowsOnFaults(() => suite.simUrl, "transaction-create", () => charge(), [
    ["http500", /unreadable answer \(HTTP 500\)/],
    ["malformed_json", /unreadable answer/],
  ]);
});
