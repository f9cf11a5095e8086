import { createHash, randomUUID } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { safeEqual } from "../../core/crypto";
import { MIDTRANS_SANDBOX_SERVER_KEY } from "../../modules/payments/gateways/midtrans/midtrans.config";
import { midtransAuthorization, midtransSignature } from "../../modules/payments/gateways/midtrans/midtrans.signature";
import { toWib } from "../../modules/payments/gateways/adapter-kit";
import type { Simulator } from "../sandbox-server";
import { controlRouter, createSimulatorState, later, stopTimers, withFaults } from "../sim-kit";
import { notify } from "./midtrans-notifier";

/**
 * Midtrans Core API simulator (../shared/providers/midtrans.md §6), mounted at
 * /midtrans: /midtrans/v2/charge, /v2/{id}/status|cancel|expire|refund|refund/online/direct|approve|deny,
 * /v2/qris|gopay/{id}/qr-code (PNG), GET /v2/token (test cards; 3-D Secure page at /__sim/3ds/{order_id}, OTP 112233).
 * Controls under /midtrans/__sim:
 *   POST /__sim/transactions/{order_id}/pay|settle|deny|expire|cancel|challenge   force an outcome
 *   POST /__sim/config {"time_scale": 60, "auto_pay_ms": 2000, "callback_url": "..."}
 *   POST /__sim/faults {"endpoints": {"charge": {"timeout": true}}, "callbacks": {"duplicate": true}}
 *     endpoints: charge, status, cancel, expire, refund, approve, deny
 *     callbacks: duplicate, out_of_order, bad_signature, amount_mismatch, reversal, paid_after_expired, drop
 *   GET /__sim/callbacks   every notification with its attempts and the store's answers
 * Scripted: a gross_amount ending in 13 is denied right after the charge.
 */
type TransactionStatus = "pending" | "settlement" | "capture" | "deny" | "cancel" | "expire" | "refund" | "partial_refund";

interface Transaction {
  orderId: string;
  transactionId: string;
  paymentType: string;
  grossAmount: number;
  status: TransactionStatus;
  fraudStatus: "accept" | "challenge" | "deny";
  transactionTime: string;
  settlementTime?: string;
  expiryTime: string;
  notifyUrls: string[];
  members: Record<string, unknown>;
  refunds: { refund_key: string; refund_amount: number; reason: string; refund_chargeback_id: number }[];
}

/** Payment types Midtrans can refund through the API (midtrans.md §3); VA and stores cannot. */
const REFUNDABLE = new Set(["qris", "gopay", "shopeepay", "credit_card"]);
const BANKS = ["bca", "bni", "bri", "cimb", "permata"];
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const SUCCESS_CODES: Record<TransactionStatus, string> = {
  pending: "201",
  settlement: "200",
  capture: "200",
  refund: "200",
  partial_refund: "200",
  deny: "202",
  cancel: "202",
  expire: "202",
};

/** The status_code Midtrans puts beside a transaction_status (a challenged capture waits, like pending). */
const statusCodeOf = (status: TransactionStatus, fraud: Transaction["fraudStatus"]) => (status === "capture" && fraud === "challenge" ? "201" : SUCCESS_CODES[status]);

export interface MidtransSimulatorOptions {
  /** Where notifications go when a charge names no X-Override-Notification URL. */
  defaultCallbackUrl: () => string;
  serverKey?: string;
}

export type MidtransSimulator = Simulator & { pay(orderId: string): Promise<void> };

export function createMidtransSimulator(options: MidtransSimulatorOptions): MidtransSimulator {
  const serverKey = options.serverKey ?? MIDTRANS_SANDBOX_SERVER_KEY;
  const state = createSimulatorState({ time_scale: 1, auto_pay_ms: 0, callback_url: "", notification_timeout_ms: 15_000 });
  const transactions = new Map<string, Transaction>();
  const cardTokens = new Map<string, string>();
  const find = (id: string) => transactions.get(id) ?? [...transactions.values()].find((t) => t.transactionId === id);
  const scale = () => Math.max(1, Number(state.config.time_scale) || 1);

  const view = (trx: Transaction, statusCode = statusCodeOf(trx.status, trx.fraudStatus), grossAmount = `${trx.grossAmount}.00`) => ({
    ...trx.members,
    status_code: statusCode,
    status_message: statusCode === "201" ? "Success, transaction is found" : `Success, transaction is ${trx.status}`,
    transaction_id: trx.transactionId,
    order_id: trx.orderId,
    merchant_id: "G000LAPAK",
    gross_amount: grossAmount,
    currency: "IDR",
    payment_type: trx.paymentType,
    transaction_time: trx.transactionTime,
    transaction_status: trx.status,
    fraud_status: trx.fraudStatus,
    expiry_time: trx.expiryTime,
    ...(trx.settlementTime ? { settlement_time: trx.settlementTime } : {}),
    ...(trx.refunds.length > 0 ? { refund_amount: `${trx.refunds.reduce((s, r) => s + r.refund_amount, 0)}.00`, refunds: trx.refunds } : {}),
    signature_key: midtransSignature(trx.orderId, statusCode, grossAmount, serverKey),
  });

  /** Serialises the notification once and signs exactly the strings placed in it. */
  const sendNotification = async (trx: Transaction, status: TransactionStatus = trx.status) => {
    const faults = state.callbackFaults;
    if (faults.drop) return;
    const statusCode = statusCodeOf(status, trx.fraudStatus);
    const grossAmount = `${trx.grossAmount + (faults.amount_mismatch ? 1 : 0)}.00`;
    const payload = { ...view({ ...trx, status }, statusCode, grossAmount), status_message: "midtrans payment notification" };
    if (faults.bad_signature) payload.signature_key = midtransSignature(trx.orderId, statusCode, grossAmount, "not-the-server-key");
    const body = JSON.stringify(payload);
    const urls = trx.notifyUrls.length > 0 ? trx.notifyUrls : [state.config.callback_url || options.defaultCallbackUrl()];
    const once = () =>
      Promise.all(
        urls.map((url) =>
          notify(state, {
            url,
            headers: { "content-type": "application/json", "user-agent": "Veritrans" },
            body,
            timeScale: scale(),
            timeoutMs: Number(state.config.notification_timeout_ms),
          }),
        ),
      );
    await once();
    if (faults.duplicate) await once();
  };

  /** Moves a transaction and notifies, applying the ordering faults around a payment. */
  const transition = async (trx: Transaction, to: TransactionStatus, fraud: Transaction["fraudStatus"] = "accept") => {
    const faults = state.callbackFaults;
    const paying = to === "settlement" || (to === "capture" && fraud === "accept");
    if (paying && faults.paid_after_expired && trx.status === "pending") {
      trx.status = "expire";
      await sendNotification(trx);
    }
    trx.status = to;
    trx.fraudStatus = fraud;
    if (paying) trx.settlementTime = toWib(new Date());
    await sendNotification(trx);
    if (paying && faults.out_of_order) await sendNotification(trx, "pending");
    if (paying && faults.reversal) {
      trx.status = "deny";
      await sendNotification(trx);
    }
  };

  const api = express.Router();
  api.get(["/qris/:id/qr-code", "/gopay/:id/qr-code"], (req, res) => {
    if (!find(String(req.params.id))) return void res.status(404).json({ status_code: "404", status_message: "Transaction doesn't exist." });
    res.type("image/png").send(PNG);
  });
  // Card tokens are made in the buyer's browser with the client key (midtrans.md §5 test cards, CVV 123).
  api.get("/token", (req, res) => {
    const { client_key: clientKey, card_number: number, card_cvv: cvv } = req.query as Record<string, string | undefined>;
    if (!clientKey) return void res.json({ status_code: "401", status_message: "client_key is required" });
    if (!number || !/^\d{16}$/.test(number.replace(/\s/g, "")) || cvv !== "123") return void res.json({ status_code: "400", status_message: "card_number or card_cvv is not valid" });
    const card = number.replace(/\s/g, "");
    const tokenId = `${card.slice(0, 6)}-${card.slice(-4)}-${randomUUID()}`;
    cardTokens.set(tokenId, card);
    res.json({ status_code: "200", status_message: "Credit card token is created as Token ID.", token_id: tokenId, hash: card.slice(0, 6) + "-" + card.slice(-4) });
  });
  api.use((req, res, next) => {
    if (!safeEqual(req.headers.authorization ?? "", midtransAuthorization(serverKey))) {
      return void res.status(401).json({ status_code: "401", status_message: "Access denied due to unauthorized transaction, please check client or server key", id: randomUUID() });
    }
    next();
  });
  api.use(express.json());
  const refuse = (res: Response, statusCode: string, message: string, http = Number(statusCode)) =>
    res.status(http).json({ status_code: statusCode, status_message: message, id: randomUUID() });

  api.post("/charge", withFaults(state, "charge"), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const details = (body.transaction_details ?? {}) as Record<string, unknown>;
    const orderId = details.order_id;
    const gross = details.gross_amount;
    if (typeof orderId !== "string" || !/^[A-Za-z0-9\-_~.]{1,50}$/.test(orderId)) {
      return void refuse(res, "400", "transaction_details.order_id is required, at most 50 characters of letters, digits, - _ ~ .");
    }
    if (typeof gross !== "number" || !Number.isSafeInteger(gross) || gross < 1) return void refuse(res, "400", "transaction_details.gross_amount must be a positive integer for IDR");
    if (Array.isArray(body.item_details)) {
      const sum = (body.item_details as { price: number; quantity: number }[]).reduce((total, item) => total + Number(item.price) * Number(item.quantity), 0);
      if (sum !== gross) return void refuse(res, "400", "transaction_details.gross_amount is not equal to the sum of item_details");
    }
    const existing = transactions.get(orderId);
    if (existing && !["deny", "cancel", "expire"].includes(existing.status)) {
      return void refuse(res, "406", "The request could not be completed due to a conflict with the current state of the target resource, order_id has been paid and utilized");
    }
    const base = `${req.protocol}://${req.get("host")}/midtrans`;
    const card = body.payment_type === "credit_card" ? cardTokens.get(String(body.credit_card?.token_id)) : undefined;
    if (body.payment_type === "credit_card" && !card) return void refuse(res, "411", "Token id is missing, invalid, or timed out");
    const members = card ? cardMembers(card, Boolean(body.credit_card?.authentication), base, orderId) : chargeMembers(body, orderId, base);
    if (!members) return void refuse(res, "400", `payment_type ${String(body.payment_type)} (with its options) is not supported`);
    const outcome = card ? cardOutcome(card, Boolean(body.credit_card?.authentication)) : { status: "pending" as const, fraud: "accept" as const };
    const expiryMs = expiryOf(body.custom_expiry);
    if (expiryMs === null) return void refuse(res, "400", "custom_expiry.expiry_duration must be a positive integer with unit second, minute, hour or day");
    const now = new Date();
    const trx: Transaction = {
      orderId,
      transactionId: randomUUID(),
      paymentType: members.payment_type as string,
      grossAmount: gross,
      status: outcome.status,
      fraudStatus: outcome.fraud,
      transactionTime: toWib(now),
      expiryTime: toWib(new Date(now.getTime() + expiryMs)),
      notifyUrls: notificationUrls(req, state.config.callback_url || options.defaultCallbackUrl()),
      members,
      refunds: [],
    };
    transactions.set(orderId, trx);
    const pendingNow = (fn: () => Promise<unknown>) => () => (trx.status === "pending" ? fn() : undefined);
    later(Math.round(expiryMs / scale()), pendingNow(() => transition(trx, "expire")));
    if (gross % 100 === 13) later(20, pendingNow(() => transition(trx, "deny", "deny")));
    else if (Number(state.config.auto_pay_ms) > 0) later(Number(state.config.auto_pay_ms), pendingNow(() => transition(trx, "settlement")));
    later(0, () => sendNotification(trx));
    res.status(200).json({ ...view(trx), status_message: `Success, ${trx.paymentType} transaction is ${trx.status === "pending" ? "created" : trx.status}` });
  });

  const withTransaction = (handler: (trx: Transaction, req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
    const trx = find(String(req.params.id));
    if (!trx) return void res.status(200).json({ status_code: "404", status_message: "Transaction doesn't exist.", id: randomUUID() });
    await handler(trx, req, res);
  };

  api.get("/:id/status", withFaults(state, "status"), withTransaction((trx, _req, res) => {
    if (trx.status === "expire") return void res.json({ ...view(trx, "407"), status_message: "Success, transaction is expired" });
    res.json(view(trx));
  }));
  api.post("/:id/cancel", withFaults(state, "cancel"), withTransaction(async (trx, _req, res) => {
    if (trx.status !== "pending" && trx.status !== "capture") return void refuse(res, "412", "Merchant cannot modify the status of the transaction", 200);
    await transition(trx, "cancel");
    res.json({ ...view(trx, "200"), status_message: "Success, transaction is canceled" });
  }));
  api.post("/:id/expire", withFaults(state, "expire"), withTransaction(async (trx, _req, res) => {
    if (trx.status !== "pending") return void refuse(res, "412", "Merchant cannot modify the status of the transaction", 200);
    await transition(trx, "expire");
    res.json({ ...view(trx, "407"), status_message: "Success, transaction has expired" });
  }));
  api.post(["/:id/approve", "/:id/deny"], withFaults(state, "approve"), withTransaction(async (trx, req, res) => {
    if (trx.status !== "capture" || trx.fraudStatus !== "challenge") return void refuse(res, "412", "Only a challenged transaction can be approved or denied", 200);
    if (req.path.endsWith("/approve")) await transition(trx, "capture", "accept");
    else await transition(trx, "deny", "deny");
    res.json(view(trx));
  }));
  api.post(["/:id/refund", "/:id/refund/online/direct"], withFaults(state, "refund"), withTransaction(async (trx, req, res) => {
    const body = (req.body ?? {}) as { refund_key?: string; amount?: number; reason?: string };
    const refundKey = String(body.refund_key ?? randomUUID());
    if (trx.refunds.some((r) => r.refund_key === refundKey)) return void res.json({ ...view(trx), refund_key: refundKey, status_message: "Success, refund request is approved" });
    if (!["settlement", "capture", "partial_refund"].includes(trx.status) || !REFUNDABLE.has(trx.paymentType)) {
      return void refuse(res, "412", "Transaction status cannot be updated: it cannot be refunded", 200);
    }
    const refunded = trx.refunds.reduce((sum, r) => sum + r.refund_amount, 0);
    const amount = body.amount ?? trx.grossAmount - refunded;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > trx.grossAmount - refunded) return void refuse(res, "413", "The refund amount is more than the amount that can be refunded", 200);
    trx.refunds.push({ refund_key: refundKey, refund_amount: amount, reason: String(body.reason ?? ""), refund_chargeback_id: trx.refunds.length + 1 });
    await transition(trx, refunded + amount === trx.grossAmount ? "refund" : "partial_refund");
    res.json({ ...view(trx), refund_key: refundKey, refund_amount: `${amount}.00`, status_message: "Success, refund request is approved" });
  }));

  const router = express.Router();
  router.use("/v2", api);
  const control = controlRouter(state, () => transactions.clear());
  const outcomes: Record<string, [TransactionStatus, Transaction["fraudStatus"]]> = {
    pay: ["settlement", "accept"],
    settle: ["settlement", "accept"],
    deny: ["deny", "deny"],
    expire: ["expire", "accept"],
    cancel: ["cancel", "accept"],
    challenge: ["capture", "challenge"],
  };
  control.post("/transactions/:id/:outcome", async (req, res) => {
    const trx = find(String(req.params.id));
    const outcome = outcomes[String(req.params.outcome)];
    if (!trx || !outcome) return void res.status(404).json({ error: "unknown transaction or outcome" });
    await transition(trx, ...outcome);
    res.json({ order_id: trx.orderId, transaction_status: trx.status, deliveries: state.deliveries.length });
  });
  control.get("/app/:wallet/:id", (req, res) => {
    const trx = find(String(req.params.id));
    if (!trx) return void res.status(404).send("unknown transaction");
    res.type("html").send(
      `<h1>${String(req.params.wallet)} sandbox</h1><p>${trx.orderId}: Rp ${trx.grossAmount} — ${trx.status}</p>` +
        `<form method="post" action="../../transactions/${encodeURIComponent(trx.orderId)}/pay"><button>Pay</button></form>`,
    );
  });
  control.get("/3ds/:id", (req, res) => {
    res.type("html").send(`<h1>3-D Secure (sandbox)</h1><form method="post"><input name="otp" placeholder="112233"><button>Submit</button></form>`);
  });
  control.post("/3ds/:id", express.urlencoded({ extended: false }), async (req, res) => {
    const trx = find(String(req.params.id));
    if (!trx || trx.status !== "pending" || trx.paymentType !== "credit_card") return void res.status(404).json({ error: "no card payment waits for 3-D Secure" });
    if (String((req.body as { otp?: string }).otp) === "112233") await transition(trx, "capture", "accept");
    else await transition(trx, "deny", "deny");
    res.json({ order_id: trx.orderId, transaction_status: trx.status });
  });
  router.use("/__sim", control);

  return {
    name: "midtrans",
    router,
    async pay(orderId: string) {
      const trx = find(orderId);
      if (!trx) throw new Error(`Midtrans simulator: unknown transaction ${orderId}`);
      await transition(trx, "settlement");
    },
    async stop() {
      stopTimers();
    },
  };
}

/** The payment-type members of a charge answer (midtrans.md §2), or null for an unsupported type. */
function chargeMembers(body: Record<string, any>, orderId: string, base: string): Record<string, unknown> | null {
  const digits = (prefix: string, length: number) => {
    const hash = createHash("sha256").update(orderId).digest();
    let out = prefix;
    for (let i = 0; out.length < length; i++) out += String(hash[i % hash.length] % 10);
    return out;
  };
  const id = encodeURIComponent(orderId);
  const type = body.payment_type === "permata" ? "bank_transfer" : body.payment_type;
  const bank = body.payment_type === "permata" ? "permata" : body.bank_transfer?.bank;
  switch (type) {
    case "bank_transfer":
      if (!BANKS.includes(bank)) return null;
      if (bank === "permata") return { payment_type: "bank_transfer", permata_va_number: digits("8562", 16) };
      return { payment_type: "bank_transfer", va_numbers: [{ bank, va_number: body.bank_transfer?.va_number ?? digits(bank === "bca" ? "12345" : "8808", 15) }] };
    case "echannel":
      return { payment_type: "echannel", bill_key: digits("77", 12), biller_code: "70012" };
    case "qris": {
      const acquirer = body.qris?.acquirer ?? "gopay";
      if (acquirer !== "gopay" && acquirer !== "airpay shopee") return null;
      return {
        payment_type: "qris",
        acquirer,
        qr_string: `00020101021226570011ID.CO.QRIS.WWW0215ID${digits("", 13)}0303UMI5204599953033605802ID5905LAPAK6007JAKARTA62${String(orderId.length + 4).padStart(2, "0")}01${String(orderId.length).padStart(2, "0")}${orderId}6304ABCD`,
        actions: [{ name: "generate-qr-code", method: "GET", url: `${base}/v2/qris/${id}/qr-code` }],
      };
    }
    case "gopay":
      return {
        payment_type: "gopay",
        actions: [
          { name: "generate-qr-code", method: "GET", url: `${base}/v2/gopay/${id}/qr-code` },
          { name: "deeplink-redirect", method: "GET", url: `${base}/__sim/app/gopay/${id}` },
          { name: "get-status", method: "GET", url: `${base}/v2/${id}/status` },
          { name: "cancel", method: "POST", url: `${base}/v2/${id}/cancel` },
        ],
      };
    case "shopeepay":
      return { payment_type: "shopeepay", actions: [{ name: "deeplink-redirect", method: "GET", url: `${base}/__sim/app/shopeepay/${id}` }] };
    case "cstore": {
      const store = body.cstore?.store;
      if (store !== "indomaret" && store !== "alfamart") return null;
      return { payment_type: "cstore", store, payment_code: digits(store === "indomaret" ? "LPK" : "ALF", 14) };
    }
    default:
      return null; // anything else (cards are handled by cardMembers)
  }
}

/** Sandbox test cards (midtrans.md §5): how each one ends, with or without 3-D Secure. */
function cardOutcome(card: string, authentication: boolean): { status: TransactionStatus; fraud: Transaction["fraudStatus"] } {
  switch (card) {
    case "4811111111111114":
    case "5211111111111117":
    case "4411111111111118":
      return authentication ? { status: "pending", fraud: "accept" } : { status: "capture", fraud: "accept" };
    case "4511111111111117":
      return { status: "capture", fraud: "challenge" };
    case "4611111111111116":
      return { status: "deny", fraud: "deny" };
    default:
      return { status: "deny", fraud: "accept" }; // 4911 1111 1111 1113 and unknown cards: the bank refuses
  }
}

function cardMembers(card: string, authentication: boolean, base: string, orderId: string): Record<string, unknown> {
  return {
    payment_type: "credit_card",
    masked_card: `${card.slice(0, 6)}-${card.slice(-4)}`,
    bank: "bni",
    card_type: "credit",
    ...(authentication ? { redirect_url: `${base}/__sim/3ds/${encodeURIComponent(orderId)}` } : {}),
  };
}

/** custom_expiry → milliseconds (default 24 h); null when malformed. */
function expiryOf(customExpiry: unknown): number | null {
  if (customExpiry === undefined || customExpiry === null) return 24 * 3600_000;
  const { expiry_duration: duration, unit } = customExpiry as { expiry_duration?: unknown; unit?: unknown };
  const units: Record<string, number> = { second: 1000, minute: 60_000, hour: 3600_000, day: 86_400_000 };
  if (typeof duration !== "number" || !Number.isSafeInteger(duration) || duration < 1 || typeof unit !== "string" || !units[unit]) return null;
  return duration * units[unit];
}

/** X-Override-Notification replaces the default URL, X-Append-Notification adds to it; at most two URLs. */
function notificationUrls(req: Request, fallback: string): string[] {
  const list = (value: string | string[] | undefined) => String(value ?? "").split(",").map((u) => u.trim()).filter(Boolean).slice(0, 2);
  const override = list(req.headers["x-override-notification"]);
  if (override.length > 0) return override;
  const append = list(req.headers["x-append-notification"]);
  return append.length > 0 ? [fallback, ...append].slice(0, 3) : [];
}
