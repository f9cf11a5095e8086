import { randomInt } from "node:crypto";
import express, { type Request, type Response } from "express";
import { safeEqual } from "../../core/crypto";
import { DUITKU_SANDBOX_CREDENTIALS } from "../../modules/payments/gateways/duitku/duitku.config";
import {
  duitkuCallbackSignature,
  duitkuInquirySignature,
  duitkuPaymentMethodsSignature,
  duitkuPopSignature,
  duitkuStatusSignature,
} from "../../modules/payments/gateways/duitku/duitku.signature";
import type { Simulator } from "../sandbox-server";
import { controlRouter, createSimulatorState, deliverCallback, later, stopTimers, withFaults } from "../sim-kit";

/**
 * Duitku simulator (../shared/providers/duitku.md §7), mounted at /duitku: API v2 under
 * /duitku/webapi/api/merchant (paymentmethod/getpaymentmethod, v2/inquiry, transactionStatus),
 * POP under /duitku/api/merchant (createInvoice, transactionStatus), a pay page at /duitku/pay/{reference}.
 * Controls under /duitku/__sim:
 *   POST /__sim/transactions/{merchantOrderId}/pay|fail|expire   force an outcome
 *   POST /__sim/config {"time_scale": 60, "auto_pay_ms": 2000, "callback_url": "...", "response_pair": "status"|"response"|"both"}
 *   POST /__sim/faults {"endpoints": {"inquiry": {"http500": true}}, "callbacks": {"bad_signature": true}}
 *     endpoints: getpaymentmethod, inquiry, status, createInvoice
 *     callbacks: duplicate, bad_signature, amount_mismatch, json_instead_of_form, paid_after_expired, drop
 *   GET /__sim/callbacks
 * Scripted: an email whose local part is "autopay" is paid after 1 s. Callbacks are retried
 * 3 times, 1 min apart (divided by time_scale), until the store answers HTTP 200.
 */
type Kind = "va" | "retail" | "qris" | "redirect";
interface Method {
  code: string;
  name: string;
  kind: Kind;
  flat: number;
  percentBp: number;
}

const method = (kind: Kind, flat: number, percentBp: number) => (entry: string) => {
  const [code, name] = entry.split(":");
  return { code, name, kind, flat, percentBp };
};
const METHODS: Method[] = [
  ...["BC:BCA VA", "M2:MANDIRI VA H2H", "M1:MANDIRI VA", "VA:MAYBANK VA", "I1:BNI VA", "B1:CIMB NIAGA VA", "BT:PERMATA VA", "A1:ATM BERSAMA", "AG:ARTHA GRAHA", "BR:BRIVA", "NC:BNC VA", "S1:SAHABAT SAMPOERNA", "F5:MANDIRI VA DEPOSIT"].map(method("va", 4000, 0)),
  ...["FT:RETAIL", "IR:INDOMARET"].map(method("retail", 5000, 0)),
  ...["SP:SHOPEEPAY QRIS", "NQ:NOBU QRIS", "LQ:LINKAJA QRIS", "GQ:GUDANG VOUCHER QRIS"].map(method("qris", 0, 70)),
  ...["VC:CREDIT CARD", "OV:OVO", "SA:SHOPEEPAY APP", "SL:SHOPEEPAY LINK", "OL:OVO LINK", "DA:DANA", "LA:LINKAJA APP", "JP:JENIUS PAY", "DN:INDODANA"].map(method("redirect", 0, 167)),
];

type Status = "PENDING" | "SUCCESS" | "FAILED" | "EXPIRED";
interface Transaction {
  reference: string;
  merchantOrderId: string;
  method: Method;
  amount: number;
  productDetails: string;
  additionalParam: string;
  merchantUserInfo: string;
  callbackUrl: string;
  status: Status;
}

export interface DuitkuSimulatorOptions {
  /** Where callbacks go when a request names no callbackUrl (it is required, so rarely). */
  defaultCallbackUrl: () => string;
  credentials?: { merchantCode: string; apiKey: string };
}

export type DuitkuSimulator = Simulator & { pay(merchantOrderId: string): Promise<void> };

export function createDuitkuSimulator(options: DuitkuSimulatorOptions): DuitkuSimulator {
  const { merchantCode, apiKey } = options.credentials ?? DUITKU_SANDBOX_CREDENTIALS;
  const state = createSimulatorState({ time_scale: 1, auto_pay_ms: 0, callback_url: "", response_pair: "status" as "status" | "response" | "both" });
  const transactions = new Map<string, Transaction>();
  const scale = () => Math.max(1, Number(state.config.time_scale) || 1);
  const fee = (m: Method, amount: number) => m.flat + Math.ceil((amount * m.percentBp) / 10_000);

  /** The status pair, as the docs show it, as the sandbox was seen answering, or both. */
  const pair = (code: string, message: string) => {
    const mode = state.config.response_pair;
    return {
      ...(mode !== "response" ? { statusCode: code, statusMessage: message } : {}),
      ...(mode !== "status" ? { responseCode: code, responseDesc: message } : {}),
    };
  };

  /** Form-encodes every callback field once (empty strings for unused ones) and signs the values placed in it. */
  const sendCallback = async (trx: Transaction) => {
    const faults = state.callbackFaults;
    if (faults.drop) return;
    const amount = String(trx.amount + (faults.amount_mismatch ? 1 : 0));
    const fields: Record<string, string> = {
      merchantCode,
      amount,
      merchantOrderId: trx.merchantOrderId,
      productDetail: trx.productDetails,
      additionalParam: trx.additionalParam,
      paymentCode: trx.method.code,
      resultCode: trx.status === "SUCCESS" ? "00" : "01",
      merchantUserId: trx.merchantUserInfo,
      reference: trx.reference,
      signature: duitkuCallbackSignature(merchantCode, amount, trx.merchantOrderId, faults.bad_signature ? "not-the-api-key" : apiKey),
      publisherOrderId: trx.status === "SUCCESS" ? `MGUMOLP${trx.reference.slice(-8)}` : "",
      spUserHash: "",
      settlementDate: trx.status === "SUCCESS" ? new Date().toISOString().slice(0, 10) : "",
      issuerCode: "",
    };
    const asJson = Boolean(faults.json_instead_of_form);
    const send = () =>
      deliverCallback(state, {
        url: trx.callbackUrl || state.config.callback_url || options.defaultCallbackUrl(),
        headers: { "content-type": asJson ? "application/json" : "application/x-www-form-urlencoded" },
        body: asJson ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
        isAccepted: (status) => status === 200,
        retries: 3,
        retryIntervalMs: Math.max(1, Math.round(60_000 / scale())),
      });
    await send();
    if (faults.duplicate) await send();
  };

  const settle = async (trx: Transaction, to: Status) => {
    if (to === "SUCCESS" && state.callbackFaults.paid_after_expired && trx.status === "PENDING") {
      trx.status = "EXPIRED";
      await sendCallback(trx);
    }
    trx.status = to;
    await sendCallback(trx);
  };

  const unauthorized = (res: Response, message = "Wrong signature") => res.status(401).type("text/plain").send(message);
  const badRequest = (res: Response, message: string, status = 400) => res.status(status).type("text/plain").send(message);
  const body = (req: Request) => (req.body ?? {}) as Record<string, any>;

  /** v2 inquiry and POP createInvoice share everything but how they are signed. */
  const create = (req: Request, res: Response, pop: boolean) => {
    const b = body(req);
    if (b.merchantCode !== merchantCode) return void unauthorized(res, "Merchant not found");
    if (!pop && !safeEqual(String(b.signature ?? ""), duitkuInquirySignature(merchantCode, String(b.merchantOrderId ?? ""), String(b.paymentAmount ?? ""), apiKey))) {
      return void unauthorized(res);
    }
    const amount = b.paymentAmount;
    if (typeof amount !== "number" || !Number.isSafeInteger(amount)) return void badRequest(res, "paymentAmount must be an integer");
    if (amount < 10_000) return void badRequest(res, "Minimum Payment 10000 IDR");
    const chosen = METHODS.find((m) => m.code === b.paymentMethod) ?? (pop && !b.paymentMethod ? METHODS[0] : undefined);
    if (!chosen) return void badRequest(res, "Payment channel not available");
    const orderId = b.merchantOrderId;
    if (typeof orderId !== "string" || orderId === "" || orderId.length > 50) return void badRequest(res, "merchantOrderId is required (at most 50 characters)");
    for (const field of ["productDetails", "email", "callbackUrl", "returnUrl", ...(pop ? [] : ["customerVaName"])]) {
      if (typeof b[field] !== "string" || b[field] === "") return void badRequest(res, `${field} is required`);
    }
    if (Array.isArray(b.itemDetails) && b.itemDetails.reduce((sum: number, item: { price: number }) => sum + Number(item.price), 0) !== amount) {
      return void badRequest(res, "paymentAmount is not equal to the sum of itemDetails price");
    }
    if (transactions.has(orderId)) return void badRequest(res, "Duplicate merchantOrderId", 409);
    const expiryMinutes = b.expiryPeriod === undefined ? 1440 : Number(b.expiryPeriod);
    if (!Number.isSafeInteger(expiryMinutes) || expiryMinutes < 1) return void badRequest(res, "expiryPeriod must be a positive number of minutes");
    const reference = `DS${merchantCode}${randomInt(1e9).toString(36).toUpperCase().padStart(6, "0")}${randomInt(1e6)}`.slice(0, 22);
    const trx: Transaction = {
      reference,
      merchantOrderId: orderId,
      method: chosen,
      amount,
      productDetails: b.productDetails,
      additionalParam: String(b.additionalParam ?? ""),
      merchantUserInfo: String(b.merchantUserInfo ?? ""),
      callbackUrl: b.callbackUrl,
      status: "PENDING",
    };
    transactions.set(orderId, trx);
    const whilePending = (to: Status) => () => (trx.status === "PENDING" ? settle(trx, to) : undefined);
    later(Math.round((expiryMinutes * 60_000) / scale()), whilePending("EXPIRED"));
    if (String(b.email).split("@")[0] === "autopay") later(1000, whilePending("SUCCESS"));
    else if (Number(state.config.auto_pay_ms) > 0) later(Number(state.config.auto_pay_ms), whilePending("SUCCESS"));
    const paymentUrl = `${req.protocol}://${req.get("host")}/duitku/pay/${reference}`;
    if (pop) return void res.json({ merchantCode, reference, paymentUrl, ...pair("00", "SUCCESS") });
    const digits = `${randomInt(1e8)}`.padStart(8, "0");
    res.json({
      merchantCode,
      reference,
      paymentUrl,
      vaNumber: chosen.kind === "va" ? `7007${digits}0001` : chosen.kind === "retail" ? `LPK${digits}` : "",
      qrString: chosen.kind === "qris" ? `00020101021226660014ID.DUITKU.WWW0118${reference.padEnd(18, "0").slice(0, 18)}5204599953033605405${amount}5802ID5905LAPAK6304ABCD` : "",
      amount: String(amount),
      ...pair("00", "SUCCESS"),
    });
  };

  const status = (req: Request, res: Response) => {
    const b = body(req);
    if (b.merchantCode !== merchantCode || !safeEqual(String(b.signature ?? ""), duitkuStatusSignature(merchantCode, String(b.merchantOrderId ?? ""), apiKey))) {
      return void unauthorized(res);
    }
    const trx = transactions.get(String(b.merchantOrderId));
    if (!trx) return void res.status(404).json({ Message: "Transaction not found" });
    const [code, message] = { SUCCESS: ["00", "SUCCESS"], PENDING: ["01", "PROCESS"], FAILED: ["02", "FAILED"], EXPIRED: ["02", "EXPIRED"] }[trx.status];
    res.json({ merchantOrderId: trx.merchantOrderId, reference: trx.reference, amount: String(trx.amount), fee: String(fee(trx.method, trx.amount)), ...pair(code, message) });
  };

  const v2 = express.Router();
  v2.use(express.json());
  v2.post("/paymentmethod/getpaymentmethod", withFaults(state, "getpaymentmethod"), (req, res) => {
    const b = body(req);
    const signed = duitkuPaymentMethodsSignature(merchantCode, String(b.amount ?? ""), String(b.datetime ?? ""), apiKey);
    if (b.merchantCode !== merchantCode || !safeEqual(String(b.signature ?? ""), signed)) return void unauthorized(res);
    const amount = Number(b.amount);
    if (!Number.isSafeInteger(amount) || amount < 1) return void badRequest(res, "amount must be a positive integer");
    res.json({
      paymentFee: METHODS.map((m) => ({ paymentMethod: m.code, paymentName: m.name, paymentImage: `https://images.duitku.com/hotlink-ok/${m.code}.PNG`, totalFee: String(fee(m, amount)) })),
      ...pair("00", "SUCCESS"),
    });
  });
  v2.post("/v2/inquiry", withFaults(state, "inquiry"), (req, res) => create(req, res, false));
  v2.post("/transactionStatus", withFaults(state, "status"), status);

  const pop = express.Router();
  pop.use(express.json());
  pop.post("/createInvoice", withFaults(state, "createInvoice"), (req, res) => {
    const timestamp = String(req.headers["x-duitku-timestamp"] ?? "");
    const signed = duitkuPopSignature(merchantCode, timestamp, apiKey);
    if (req.headers["x-duitku-merchantcode"] !== merchantCode || !safeEqual(String(req.headers["x-duitku-signature"] ?? ""), signed)) return void unauthorized(res);
    if (!(Math.abs(Date.now() - Number(timestamp)) <= 5 * 60_000)) return void unauthorized(res, "Timestamp expired");
    create(req, res, true);
  });
  pop.post("/transactionStatus", withFaults(state, "status"), status);

  const router = express.Router();
  router.use("/webapi/api/merchant", v2);
  router.use("/api/merchant", pop);
  router.get("/pay/:reference", (req, res) => {
    const trx = [...transactions.values()].find((t) => t.reference === req.params.reference);
    if (!trx) return void res.status(404).send("unknown reference");
    const id = encodeURIComponent(trx.merchantOrderId);
    res.type("html").send(
      `<h1>Duitku sandbox</h1><p>${trx.method.name}: Rp ${trx.amount} — ${trx.status}</p>` +
        `<form method="post" action="../__sim/transactions/${id}/pay"><button>Pay</button></form>` +
        `<form method="post" action="../__sim/transactions/${id}/fail"><button>Cancel</button></form>`,
    );
  });
  const control = controlRouter(state, () => transactions.clear());
  control.post("/transactions/:id/:outcome", async (req, res) => {
    const trx = transactions.get(String(req.params.id));
    const outcome = ({ pay: "SUCCESS", fail: "FAILED", expire: "EXPIRED" } as Record<string, Status>)[String(req.params.outcome)];
    if (!trx || !outcome) return void res.status(404).json({ error: "unknown transaction or outcome" });
    await settle(trx, outcome);
    res.json({ merchantOrderId: trx.merchantOrderId, status: trx.status, deliveries: state.deliveries.length });
  });
  router.use("/__sim", control);

  return {
    name: "duitku",
    router,
    async pay(merchantOrderId: string) {
      const trx = transactions.get(merchantOrderId);
      if (!trx) throw new Error(`Duitku simulator: unknown transaction ${merchantOrderId}`);
      await settle(trx, "SUCCESS");
    },
    async stop() {
      stopTimers();
    },
  };
}
