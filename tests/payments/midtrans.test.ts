import { expect } from "chai";
import { ConfigError } from "../../src/core/config";
import { HttpTimeoutError } from "../../src/core/http-client";
import { MidtransAdapter, MidtransError, midtransSandboxPayer } from "../../src/modules/payments/gateways/midtrans/midtrans.adapter";
import { loadMidtransConfig, MIDTRANS_SANDBOX_SERVER_KEY } from "../../src/modules/payments/gateways/midtrans/midtrans.config";
import { midtransAuthorization, midtransSignature } from "../../src/modules/payments/gateways/midtrans/midtrans.signature";
import type { ChargeRequest } from "../../src/modules/payments/gateways/payment-gateway";
import { retriesAllowed } from "../../src/sandbox/midtrans/midtrans-notifier";
import { createMidtransSimulator, type MidtransSimulator } from "../../src/sandbox/midtrans/midtrans.simulator";
import { sleep } from "../../src/sandbox/sim-kit";
import { sharedStore } from "../helpers/store";
import { chargeRequest, eventually, expectRejection, gatewaySandbox, simCallbacks, simControl, type CallbackReceiver } from "./gateway-harness";

const KEY = "SB-Mid-server-FAKEFAKEFAKEFAKE0000";

describe("Midtrans worked examples (midtrans.md §7)", () => {
  it("signs a notification over the strings exactly as received", () => {
    expect(midtransSignature("ORD-20240115-0001", "200", "150000.00", KEY)).to.equal(
      "dda00bb39a428c661ddc40ee3e4e9d202bdbffc55e8e4f9744d635e915f2e1b027eab52ce7af0fa11225cab9194bf169a7b3305d33c9a2dea4395c41cf2a47b4",
    );
    expect(midtransSignature("1111", "200", "100000.00", "askvnoibnosifnboseofinbofinfgbiufglnbfg")).to.equal(
      "edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231",
    );
  });

  it("gives the documented other hashes for a re-formatted amount or another status code", () => {
    expect(midtransSignature("ORD-20240115-0001", "200", "150000", KEY)).to.equal(
      "0d45b1669ac2f08785db2c8611f61ed8db5fd88a23e8b29808f3e36af5bd2d7e7584184839db06b5959279aec9c7fe98dcae7b2c1855f6e3237723ad4398c16b",
    );
    expect(midtransSignature("ORD-20240115-0001", "201", "150000.00", KEY)).to.equal(
      "1285cbff646bc9085222e1d68c9635acc153dc05eddf6288fc19b12ad344dcc5ada9ac6899e982d98db8453c72d7cf2e48ccdd08e9e4165ad15fd7d7013e31b8",
    );
  });

  it("builds the Basic authorization header from the server key", () => {
    expect(midtransAuthorization(KEY)).to.equal("Basic U0ItTWlkLXNlcnZlci1GQUtFRkFLRUZBS0VGQUtFMDAwMDo=");
  });

  it("verifies the worked notification and refuses the negative vectors", () => {
    const adapter = new MidtransAdapter({ baseUrl: "http://127.0.0.1:9", serverKey: KEY, timeoutMs: 100 });
    const notification = (fields: Record<string, unknown>) =>
      adapter.parseCallback({
        subPath: "",
        headers: { "content-type": "application/json" },
        ip: "127.0.0.1",
        rawBody: Buffer.from(
          JSON.stringify({
            transaction_status: "settlement",
            transaction_id: "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
            status_code: "200",
            order_id: "ORD-20240115-0001",
            gross_amount: "150000.00",
            fraud_status: "accept",
            signature_key: "dda00bb39a428c661ddc40ee3e4e9d202bdbffc55e8e4f9744d635e915f2e1b027eab52ce7af0fa11225cab9194bf169a7b3305d33c9a2dea4395c41cf2a47b4",
            ...fields,
          }),
        ),
      });
    expect(notification({})).to.deep.equal({
      verified: true,
      reference: "ORD-20240115-0001",
      gatewayReference: "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
      eventKey: "9aed5972-5b6a-401e-894b-a32c91ed1a3a:settlement",
      status: "PAID",
      amountPaid: 150000,
      requiresStatusCheck: true,
    });
    expect(notification({ gross_amount: "150000" }).verified).to.equal(false);
    expect(notification({ status_code: "201" }).verified).to.equal(false);
    expect(notification({ gross_amount: 150000 })).to.include({ verified: false });
    expect(notification({ signature_key: "0".repeat(128) }).reason).to.match(/signature does not match order_id \+ status_code \+ gross_amount/);
    const junk = adapter.parseCallback({ subPath: "", headers: {}, ip: "", rawBody: Buffer.from("not json") });
    expect(junk).to.include({ verified: false, reference: null });
  });
});

describe("Midtrans configuration", () => {
  it("defaults to the simulator and its fake key in sandbox mode", () => {
    expect(loadMidtransConfig({ providersMode: "sandbox" }, "http://127.0.0.1:4100", {})).to.deep.equal({
      baseUrl: "http://127.0.0.1:4100/midtrans",
      serverKey: MIDTRANS_SANDBOX_SERVER_KEY,
      timeoutMs: 15_000,
    });
  });

  it("uses the real host in live mode and refuses to boot without a server key", () => {
    expect(() => loadMidtransConfig({ providersMode: "live" }, "http://x", {})).to.throw(ConfigError, /MIDTRANS_SERVER_KEY is required/);
    const live = loadMidtransConfig({ providersMode: "live" }, "http://x", { MIDTRANS_SERVER_KEY: "Mid-server-real" });
    expect(live.baseUrl).to.equal("https://api.midtrans.com");
    const staging = loadMidtransConfig({ providersMode: "sandbox" }, "http://x", { MIDTRANS_BASE_URL: "https://api.sandbox.midtrans.com/" });
    expect(staging.baseUrl).to.equal("https://api.sandbox.midtrans.com");
  });
});

describe("Midtrans adapter against the simulator", () => {
  const suite = gatewaySandbox({
    simulator: () => createMidtransSimulator({ defaultCallbackUrl: () => "http://127.0.0.1:9/nowhere" }),
    adapter: ({ sandboxUrl }) => new MidtransAdapter(loadMidtransConfig({ providersMode: "sandbox" }, sandboxUrl, { MIDTRANS_TIMEOUT_MS: "500" })),
    config: { time_scale: 1, auto_pay_ms: 0 },
  });
  let sandboxUrl: string;
  let simUrl: string;
  let simulator: MidtransSimulator;
  let adapter: MidtransAdapter;
  let receiver: CallbackReceiver;
  const charge = (overrides: Partial<ChargeRequest> = {}) => chargeRequest(receiver.url, { channel: "bank_transfer:bca", ...overrides });
  /** Charges and waits for the "pending" notification the simulator sends on creation. */
  const pendingCharge = async (overrides: Partial<ChargeRequest> = {}) => {
    const request = charge(overrides);
    const before = receiver.received.length;
    const result = await adapter.createCharge(request);
    await receiver.waitFor(before + 1);
    return { request, result };
  };

  before(() => {
    ({ sandboxUrl, simUrl, simulator, adapter, receiver } = suite);
  });

  it("creates a charge for every channel with the instructions the buyer needs", async () => {
    const cases: [string, (r: Awaited<ReturnType<MidtransAdapter["createCharge"]>>) => void][] = [
      ["bank_transfer:bca", (r) => expect(r.vaNumber).to.match(/^12345\d{10}$/)],
      ["bank_transfer:bni", (r) => expect(r.vaNumber).to.match(/^\d{15}$/)],
      ["bank_transfer:bri", (r) => expect(r.vaNumber).to.match(/^\d{15}$/)],
      ["bank_transfer:cimb", (r) => expect(r.vaNumber).to.match(/^\d{15}$/)],
      ["bank_transfer:permata", (r) => expect(r.vaNumber).to.match(/^\d{16}$/)],
      ["echannel", (r) => expect([r.paymentCode, r.vaNumber?.length]).to.deep.equal(["70012", 12])],
      ["qris", (r) => expect([r.qrString?.startsWith("000201"), r.payUrl]).to.deep.equal([true, `${sandboxUrl}/midtrans/v2/qris/${(r.raw as any).order_id}/qr-code`])],
      ["gopay", (r) => expect(r.payUrl).to.match(/\/midtrans\/__sim\/app\/gopay\//)],
      ["shopeepay", (r) => expect(r.payUrl).to.match(/\/midtrans\/__sim\/app\/shopeepay\//)],
      ["cstore:indomaret", (r) => expect(r.paymentCode).to.match(/^LPK\d{11}$/)],
      ["cstore:alfamart", (r) => expect(r.paymentCode).to.match(/^ALF\d{11}$/)],
    ];
    for (const [channel, check] of cases) {
      const request = charge({ channel });
      const result = await adapter.createCharge(request);
      expect(result.amountToPay, channel).to.equal(150_000);
      expect(result.gatewayReference, channel).to.match(/^[0-9a-f-]{36}$/);
      expect(Math.abs(result.expiresAt!.getTime() - request.expiresAt.getTime()), channel).to.be.below(61_000);
      check(result);
    }
    const qris = await adapter.createCharge(charge({ channel: "qris:shopeepay" }));
    expect((qris.raw as { acquirer: string }).acquirer).to.equal("airpay shopee");
    const png = await fetch(qris.payUrl!);
    expect([png.status, png.headers.get("content-type")]).to.deep.equal([200, "image/png"]);
    expect((await fetch(`${sandboxUrl}/midtrans/v2/qris/ORD-UNKNOWN/qr-code`)).status).to.equal(404);
  });

  it("adds a fee line when the amount is more than the items, so Midtrans accepts the sum", async () => {
    const result = await adapter.createCharge(charge({ amount: 154_500 }));
    expect(result.amountToPay).to.equal(154_500);
  });

  it("refuses an unknown channel, a reused order id and bad credentials with clear errors", async () => {
    await expectRejection(adapter.createCharge(charge({ channel: "bank_transfer:mandiri" })), MidtransError, /unsupported channel "bank_transfer:mandiri"/);
    const request = charge();
    await adapter.createCharge(request);
    await expectRejection(adapter.createCharge(request), MidtransError, /406 .*paid and utilized/);
    const wrongKey = new MidtransAdapter({ baseUrl: `${sandboxUrl}/midtrans`, serverKey: "SB-Mid-server-WRONG", timeoutMs: 500 });
    await expectRejection(wrongKey.createCharge(charge()), MidtransError, /401 Access denied.*check MIDTRANS_SERVER_KEY/);
    await expectRejection(wrongKey.queryStatus({ reference: request.reference, gatewayReference: null }), MidtransError, /401/);
  });

  it("delivers a signed settlement that verifies, with the amount the charge asked for", async () => {
    const { request, result } = await pendingCharge();
    expect(receiver.received[0].parsed).to.include({ verified: true, status: "PENDING", reference: request.reference });
    await simControl(simUrl, `/transactions/${request.reference}/pay`);
    await receiver.waitFor(2);
    const paid = receiver.received[1];
    expect(paid.parsed).to.include({ verified: true, status: "PAID", reference: request.reference, gatewayReference: result.gatewayReference });
    expect(paid.parsed.amountPaid).to.equal(result.amountToPay);
    expect(paid.parsed.eventKey).to.equal(`${result.gatewayReference}:settlement`);
    expect(paid.answer.status).to.equal(200);
    const deliveries = await simCallbacks(simUrl);
    expect(deliveries.map((d) => [d.accepted, d.attempts.length])).to.deep.equal([[true, 1], [true, 1]]);
    expect(await adapter.queryStatus({ reference: request.reference, gatewayReference: null })).to.deep.include({
      status: "PAID",
      amountPaid: 150_000,
      gatewayReference: result.gatewayReference,
    });
  });

  it("lets a forged signature fail and shows a wrong amount even when it is validly signed", async () => {
    const { request, result } = await pendingCharge();
    await simControl(simUrl, "/faults", { callbacks: { bad_signature: true } });
    await simControl(simUrl, `/transactions/${request.reference}/pay`);
    await receiver.waitFor(2);
    expect(receiver.received[1].parsed).to.include({ verified: false, status: "PENDING" });
    expect(receiver.received[1].answer.status).to.equal(400);

    const second = await pendingCharge();
    await simControl(simUrl, "/faults", { callbacks: { bad_signature: false, amount_mismatch: true } });
    await simControl(simUrl, `/transactions/${second.request.reference}/pay`);
    await receiver.waitFor(4);
    const mismatch = receiver.received[3].parsed;
    expect(mismatch).to.include({ verified: true, status: "PAID" });
    expect(mismatch.amountPaid).to.equal(second.result.amountToPay + 1);
    expect(result.amountToPay).to.equal(150_000);
  });

  it("sends a duplicate with the same event key, and a pending after the settlement when told to", async () => {
    const { request } = await pendingCharge();
    await simControl(simUrl, "/faults", { callbacks: { duplicate: true, out_of_order: true } });
    await simControl(simUrl, `/transactions/${request.reference}/settle`);
    await receiver.waitFor(5);
    const keys = receiver.received.slice(1).map((r) => [r.parsed.status, r.parsed.verified]);
    expect(keys).to.deep.equal([["PAID", true], ["PAID", true], ["PENDING", true], ["PENDING", true]]);
    expect(receiver.received[1].parsed.eventKey).to.equal(receiver.received[2].parsed.eventKey);
  });

  it("reports a reversal, an expiry, a cancellation and a denial", async () => {
    const reversed = await pendingCharge();
    await simControl(simUrl, "/faults", { callbacks: { reversal: true } });
    await simControl(simUrl, `/transactions/${reversed.request.reference}/pay`);
    await receiver.waitFor(3);
    expect(receiver.received.slice(1).map((r) => r.parsed.status)).to.deep.equal(["PAID", "FAILED"]);
    await simControl(simUrl, "/faults", { callbacks: { reversal: false } });

    const expiring = await pendingCharge();
    expect(await adapter.expire(expiring.request.reference)).to.include({ status: "EXPIRED", amountPaid: null });
    const status = await adapter.queryStatus({ reference: expiring.request.reference, gatewayReference: null });
    expect(status.status).to.equal("EXPIRED");
    expect((status.raw as any).status_code).to.equal("407");

    const cancelled = await pendingCharge({ channel: "gopay" });
    expect((await adapter.cancel(cancelled.request.reference)).status).to.equal("FAILED");
    await expectRejection(adapter.cancel(cancelled.request.reference), MidtransError, /412/);

    // the deny follows the pending notification within ~20 ms: count from before the charge, not after it
    const seen = receiver.received.length;
    const denied = await pendingCharge({ amount: 150_013, items: [{ sku: "X", name: "X", price: 150_013, quantity: 1 }] });
    await receiver.waitFor(seen + 2);
    expect(receiver.received.at(-1)!.parsed).to.include({ verified: true, status: "FAILED", reference: denied.request.reference });
  });

  it("holds a challenged capture as pending until it is approved", async () => {
    const { request } = await pendingCharge({ channel: "gopay" });
    await simControl(simUrl, `/transactions/${request.reference}/challenge`);
    await receiver.waitFor(2);
    expect(receiver.received[1].parsed).to.include({ verified: true, status: "PENDING" });
    const approve = await fetch(`${sandboxUrl}/midtrans/v2/${request.reference}/approve`, {
      method: "POST",
      headers: { authorization: midtransAuthorization(KEY) },
    });
    expect(((await approve.json()) as { fraud_status: string }).fraud_status).to.equal("accept");
    await receiver.waitFor(3);
    expect(receiver.received[2].parsed).to.include({ verified: true, status: "PAID" });
  });

  it("charges the sandbox test cards: 3-D Secure with OTP 112233, a bank refusal, an FDS challenge", async () => {
    const token = async (card: string) => {
      const answer = await fetch(`${sandboxUrl}/midtrans/v2/token?client_key=SB-Mid-client-FAKE&card_number=${card}&card_exp_month=12&card_exp_year=2030&card_cvv=123`);
      return ((await answer.json()) as { token_id: string }).token_id;
    };
    const secure = await pendingCharge({ channel: `credit_card:${await token("4811111111111114")}` });
    expect(secure.result.payUrl).to.equal(`${sandboxUrl}/midtrans/__sim/3ds/${secure.request.reference}`);
    const otp = await fetch(secure.result.payUrl!, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "otp=112233" });
    expect(((await otp.json()) as { transaction_status: string }).transaction_status).to.equal("capture");
    await receiver.waitFor(2);
    expect(receiver.received[1].parsed).to.include({ verified: true, status: "PAID", reference: secure.request.reference });
    expect((await adapter.queryStatus({ reference: secure.request.reference, gatewayReference: null })).status).to.equal("PAID");

    await expectRejection(adapter.createCharge(charge({ channel: `credit_card:${await token("4911111111111113")}` })), MidtransError, /could not create the charge: 202/);
    const challenged = await adapter.createCharge(charge({ channel: `credit_card:${await token("4511111111111117")}` }));
    expect((challenged.raw as { fraud_status: string }).fraud_status).to.equal("challenge");
    await expectRejection(adapter.createCharge(charge({ channel: "credit_card:not-a-token" })), MidtransError, /411 Token id is missing/);
  });

  it("answers an unknown order with HTTP 200 and body status 404, which reads as still unpaid", async () => {
    const status = await adapter.queryStatus({ reference: "ORD-NEVER-CHARGED", gatewayReference: null });
    expect(status).to.deep.include({ status: "PENDING", amountPaid: null, gatewayReference: null });
    expect((status.raw as any).status_code).to.equal("404");
  });

  it("refunds a paid QRIS charge once per refund key, and refuses a VA refund", async () => {
    const { request } = await pendingCharge({ channel: "qris" });
    await simControl(simUrl, `/transactions/${request.reference}/pay`);
    const payment = { reference: request.reference, gatewayReference: null };
    const first = await adapter.refund(payment, 50_000, "buyer asked");
    expect(first.refunded).to.equal(true);
    const again = await adapter.refund(payment, 50_000, "buyer asked");
    expect(again.refundReference).to.equal(first.refundReference);
    expect((again.raw as any).refunds).to.have.length(1);
    expect((await adapter.queryStatus(payment)).status).to.equal("REFUNDED");
    await expectRejection(adapter.refund(payment, 100_001, "too much"), MidtransError, /413/);
    await adapter.refund(payment, 100_000, "the rest");
    await expectRejection(adapter.refund(payment, 1, "nothing left"), MidtransError, /412/);

    const va = await pendingCharge();
    await simControl(simUrl, `/transactions/${va.request.reference}/pay`);
    await expectRejection(adapter.refund({ reference: va.request.reference, gatewayReference: null }, 1000, "x"), MidtransError, /412.*cannot be refunded/);
  });

  it("retries a notification per Midtrans' table for the store's answer", async () => {
    expect([200, 500, 503, 400, 404, 302, 401, null].map(retriesAllowed)).to.deep.equal([0, 1, 4, 2, 2, 0, 5, 5]);
    const cases: [number, number][] = [[503, 5], [500, 2], [404, 3], [200, 1]];
    for (const [answer, attempts] of cases) {
      const { request } = await pendingCharge();
      const index = (await simCallbacks(simUrl)).length;
      await simControl(simUrl, "/config", { time_scale: 1_000_000 });
      receiver.override = { status: answer };
      await simControl(simUrl, `/transactions/${request.reference}/pay`);
      const payAttempts = async () => (await simCallbacks(simUrl))[index]?.attempts ?? [];
      await eventually(async () => (await payAttempts()).length === attempts);
      await sleep(50); // no extra retry follows
      expect((await payAttempts()).map((a) => a.status), String(answer)).to.deep.equal(Array(attempts).fill(answer));
      receiver.clear();
      await simControl(simUrl, "/config", { time_scale: 1 });
    }
  });

  it("pays automatically after the configured delay", async () => {
    await simControl(simUrl, "/config", { auto_pay_ms: 50 });
    const { request } = await pendingCharge();
    await receiver.waitFor(2);
    expect(receiver.received[1].parsed).to.include({ status: "PAID", reference: request.reference });
  });

  it("pays when simulatePayment asks, through the payer or the simulator object", async () => {
    const first = await pendingCharge({ channel: "echannel" });
    await midtransSandboxPayer(sandboxUrl)(first.request);
    const second = await pendingCharge({ channel: "cstore:indomaret" });
    await simulator.pay(second.request.reference);
    await receiver.waitFor(4);
    expect(receiver.received.filter((r) => r.parsed.status === "PAID").map((r) => r.parsed.reference)).to.deep.equal([first.request.reference, second.request.reference]);
    await expectRejection(midtransSandboxPayer(sandboxUrl)({ reference: "ORD-UNKNOWN" }), Error, /refused to pay \(HTTP 404/);
  });

  it("throws clear errors on a timeout, a 500 and malformed JSON instead of hanging or mis-reading", async () => {
    await simControl(simUrl, "/faults", { endpoints: { charge: { timeout: true } } });
    await expectRejection(adapter.createCharge(charge()), HttpTimeoutError, /within 500 ms/);
    await simControl(simUrl, "/faults", { endpoints: { charge: { http500: true } } });
    await expectRejection(adapter.createCharge(charge()), MidtransError, /unreadable answer \(HTTP 500\)/);
    await simControl(simUrl, "/faults", { endpoints: { charge: { http500: false, timeout: false }, status: { malformed_json: true } } });
    await expectRejection(adapter.queryStatus({ reference: "x", gatewayReference: null }), MidtransError, /unreadable answer \(HTTP 200\)/);
  });
});

describe("The store's sandbox", () => {
  it("hosts the Midtrans and Duitku simulators", async () => {
    const store = await sharedStore();
    const index = (await (await fetch(`${store.sandboxUrl}/`)).json()) as { simulators: string[] };
    expect(index.simulators).to.include.members(["/midtrans", "/duitku"]);
    const adapter = new MidtransAdapter(loadMidtransConfig(store.infra.config, store.sandboxUrl!, {}));
    const status = await adapter.queryStatus({ reference: "ORD-NOT-THERE", gatewayReference: null });
    expect((status.raw as { status_code: string }).status_code).to.equal("404");
  });
});
