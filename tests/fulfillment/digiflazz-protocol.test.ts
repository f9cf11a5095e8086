import { expect } from "chai";
import { decideOutcome, DIGIFLAZZ_CODES } from "../../src/modules/fulfillment/digiflazz/digiflazz-codes";
import { DigiflazzClient } from "../../src/modules/fulfillment/digiflazz/digiflazz.client";
import { loadDigiflazzConfig } from "../../src/modules/fulfillment/digiflazz/digiflazz.config";
import {
  balanceSign,
  depositSign,
  plnInquirySign,
  priceListSign,
  transactionSign,
  verifyWebhookSignature,
  webhookSignature,
} from "../../src/modules/fulfillment/digiflazz/digiflazz.signature";
import { loadFulfillmentConfig } from "../../src/modules/fulfillment/fulfillment.config";
import { ConfigError } from "../../src/core/config";

// providers/digiflazz.md §7: fake credentials and the hashes computed from them.
const USER = "lapaksim";
const KEY = "dev-11111111-2222-3333-4444-555555555555";
const SECRET = "fake-webhook-secret";
const WEBHOOK_BODY =
  '{"data":{"ref_id":"ORD-20240115-0001","customer_no":"087800001233","buyer_sku_code":"xld10","message":"Transaksi Sukses","status":"Sukses","rc":"00","buyer_last_saldo":990000,"sn":"1234567890","price":10000,"tele":"@telegram","wa":"081234512345"}}';

describe("Digiflazz protocol: the worked example of the spec", () => {
  it("signs every call as the documentation's worked example says", () => {
    expect(balanceSign(USER, KEY)).to.equal("e91b4885b2241fb1d978ee9088d63d9f");
    expect(priceListSign(USER, KEY)).to.equal("3e0392d20001d67f8345caa6c568f701");
    expect(depositSign(USER, KEY)).to.equal("8b61fe84c4a3291dd4ba9f3ba4f12fc3");
    expect(transactionSign(USER, KEY, "ORD-20240115-0001")).to.equal("31bcf46508a67ff5f218b759511ec300");
    expect(plnInquirySign(USER, KEY, "530000000001")).to.equal("35aeea57fba1f146fb0b421eaa466575");
  });

  it("computes the webhook HMAC over the exact 247 bytes, and not over the same body with a trailing newline", () => {
    expect(Buffer.byteLength(WEBHOOK_BODY)).to.equal(247);
    expect(webhookSignature(SECRET, WEBHOOK_BODY)).to.equal("sha1=e18678896958d475cff02a4ad6c366416ac0f111");
    expect(webhookSignature(SECRET, `${WEBHOOK_BODY}\n`)).to.equal("sha1=5b62a7a4faa6f1f9a7edaff7ae6a1caf8104b9e5");
    expect(verifyWebhookSignature(SECRET, Buffer.from(WEBHOOK_BODY), "sha1=e18678896958d475cff02a4ad6c366416ac0f111")).to.equal(true);
    expect(verifyWebhookSignature(SECRET, Buffer.from(WEBHOOK_BODY), "e18678896958d475cff02a4ad6c366416ac0f111"), "bare hex").to.equal(true);
    expect(verifyWebhookSignature(SECRET, Buffer.from(`${WEBHOOK_BODY}\n`), "sha1=e18678896958d475cff02a4ad6c366416ac0f111")).to.equal(false);
    expect(verifyWebhookSignature("another-secret", Buffer.from(WEBHOOK_BODY), "sha1=e18678896958d475cff02a4ad6c366416ac0f111")).to.equal(false);
    expect(verifyWebhookSignature(SECRET, Buffer.from(WEBHOOK_BODY), undefined)).to.equal(false);
  });

  it("reads a signed webhook as a final success of its ref_id, and refuses it unsigned or re-serialised", () => {
    const client = new DigiflazzClient(loadDigiflazzConfig({ providersMode: "sandbox" }, { sandboxUrl: "http://127.0.0.1:1", storeUrl: () => "http://x" }, {}));
    const headers = { "x-hub-signature": "sha1=e18678896958d475cff02a4ad6c366416ac0f111", "x-digiflazz-event": "update" };
    const parsed = client.parseWebhook({ headers, rawBody: Buffer.from(WEBHOOK_BODY) });
    expect(parsed).to.deep.include({ verified: true, ping: false, event: "update", refId: "ORD-20240115-0001" });
    expect(parsed.result).to.deep.include({ outcome: "SUCCESS", rc: "00", sn: "1234567890", price: 10000 });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(WEBHOOK_BODY), null, 1));
    expect(client.parseWebhook({ headers, rawBody: reserialised }).verified).to.equal(false);
    expect(client.parseWebhook({ headers: {}, rawBody: Buffer.from(WEBHOOK_BODY) }).verified).to.equal(false);
    const ping = Buffer.from('{"sed":"x","hook_id":"h1","hook":{"url":"http://x","secret":"s","type":"application/json","status":1}}');
    expect(client.parseWebhook({ headers: { "x-hub-signature": webhookSignature(SECRET, ping) }, rawBody: ping })).to.deep.include({ verified: true, ping: true });
  });
});

describe("Digiflazz response codes decide what the engine does", () => {
  it("drives state from status, treats rc 03 and 99 as pending, and retries our own problems and rate limits", () => {
    expect(decideOutcome("Sukses", "00")).to.equal("SUCCESS");
    expect(decideOutcome("Pending", "03")).to.equal("PENDING");
    expect(decideOutcome("Gagal", "99"), "router issue is pending whatever the status").to.equal("PENDING");
    expect(decideOutcome("Gagal", "02")).to.equal("FAILED");
    expect(decideOutcome("Gagal", "54")).to.equal("FAILED");
    expect(decideOutcome("Gagal", "69")).to.equal("FAILED");
    for (const rc of ["85", "44", "41", "42", "45"]) expect(decideOutcome("Gagal", rc), rc).to.equal("RETRY");
    expect(decideOutcome(undefined, undefined), "an unreadable answer is never a failure").to.equal("RETRY");
    expect(decideOutcome("Gagal", "00"), "a contradictory answer is asked again").to.equal("RETRY");
  });

  it("documents every code of the spec's table", () => {
    const documented = "00 01 02 03 40 41 42 43 44 45 47 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 80 81 82 83 84 85 86 87 88 99".split(" ");
    expect(Object.keys(DIGIFLAZZ_CODES).sort()).to.deep.equal(documented.sort());
    for (const info of Object.values(DIGIFLAZZ_CODES)) if (info.decision !== "FAILED" && info.decision !== "SUCCESS") expect(info.why).to.be.a("string");
  });
});

describe("Digiflazz and purchase-engine settings", () => {
  it("point at the simulator with the fake credentials in sandbox mode, and the callback at the store", () => {
    const config = loadDigiflazzConfig({ providersMode: "sandbox" }, { sandboxUrl: "http://127.0.0.1:4100/", storeUrl: () => "http://127.0.0.1:4000" }, {});
    expect(config).to.deep.include({ baseUrl: "http://127.0.0.1:4100/digiflazz/v1", username: "lapaksim", apiKey: KEY, webhookSecret: SECRET, testing: true });
    expect(config.callbackUrl()).to.equal("http://127.0.0.1:4000/webhooks/digiflazz");
  });

  it("need every credential in live mode, and never re-check faster than a minute there", () => {
    const attempt = () => loadDigiflazzConfig({ providersMode: "live" }, { sandboxUrl: "", storeUrl: () => "" }, {});
    expect(attempt).to.throw(ConfigError, /DIGIFLAZZ_USERNAME.*DIGIFLAZZ_API_KEY.*DIGIFLAZZ_WEBHOOK_SECRET/);
    const live = loadDigiflazzConfig({ providersMode: "live" }, { sandboxUrl: "", storeUrl: () => "" }, { DIGIFLAZZ_USERNAME: "u", DIGIFLAZZ_API_KEY: "k", DIGIFLAZZ_WEBHOOK_SECRET: "s" });
    expect(live).to.deep.include({ baseUrl: "https://api.digiflazz.com/v1", testing: false });
    expect(() => loadFulfillmentConfig({ providersMode: "live" }, 30_000, { SUPPLIER_RECHECK_MIN_MS: "1000" })).to.throw(ConfigError, /SUPPLIER_RECHECK_MIN_MS/);
    expect(loadFulfillmentConfig({ providersMode: "sandbox" }, 30_000, { SUPPLIER_RECHECK_MIN_MS: "1000" }).recheckMinMs).to.equal(1000);
    expect(() => loadFulfillmentConfig({ providersMode: "sandbox" }, 30_000, { SUPPLIER_RECHECK_MAX_AGE_DAYS: "90" })).to.throw(ConfigError);
  });
});
