import { randomInt } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { safeEqual } from "../../core/crypto";
import { tripayCallbackSignature, tripayCreateSignature } from "../../modules/payments/gateways/tripay/tripay.signature";
import { TRIPAY_SANDBOX_CREDENTIALS } from "../../modules/payments/gateways/tripay/tripay.config";
import type { Simulator } from "../sandbox-server";
import { controlRouter, createSimulatorState, deliverCallback, later, stopTimers, withFaults } from "../sim-kit";

/**
 * Tripay closed-payment simulator (../shared/providers/tripay.md §7), mounted at
 * /tripay: the API under /tripay/api-sandbox (and /tripay/api), controls under
 * /tripay/__sim. Force outcomes: POST /tripay/__sim/transactions/<reference>/pay|expire|fail|refund.
 * Config (/__sim/config): retry_interval_ms (default 120000), auto_pay_ms (0 = off),
 * callback_url (used when a charge names none). Scripted: customer_email local part
 * autopay / autoexpire (after 1 s) / autofail.
 */
interface Channel {
  code: string;
  name: string;
  group: string;
  type: "direct" | "redirect";
  flat: number;
  percentBp: number;
  min: number;
  max: number;
}

const CHANNELS: Channel[] = [
  { code: "QRIS", name: "QRIS", group: "E-Wallet", type: "direct", flat: 750, percentBp: 70, min: 1_000, max: 5_000_000 },
  { code: "QRIS2", name: "QRIS", group: "E-Wallet", type: "direct", flat: 750, percentBp: 70, min: 1_000, max: 5_000_000 },
  ...["BCAVA", "BNIVA", "BRIVA", "MANDIRIVA", "PERMATAVA", "CIMBVA", "BSIVA", "MYBVA"].map((code) => ({
    code, name: `${code.replace(/VA$/, "")} Virtual Account`, group: "Virtual Account", type: "direct" as const, flat: 4_250, percentBp: 0, min: 10_000, max: 10_000_000,
  })),
  ...["ALFAMART", "INDOMARET", "ALFAMIDI"].map((code) => ({
    code, name: code[0] + code.slice(1).toLowerCase(), group: "Convenience Store", type: "direct" as const, flat: 3_500, percentBp: 0, min: 10_000, max: 2_500_000,
  })),
  ...["OVO", "DANA", "SHOPEEPAY"].map((code) => ({
    code, name: code, group: "E-Wallet", type: "redirect" as const, flat: 0, percentBp: 300, min: 1_000, max: 10_000_000,
  })),
];

interface Transaction {
  reference: string;
  merchantRef: string;
  channel: Channel;
  amount: number;
  feeMerchant: number;
  feeCustomer: number;
  customer: { name: string; email: string; phone: string };
  callbackUrl: string | null;
  status: "UNPAID" | "PAID" | "EXPIRED" | "FAILED" | "REFUND";
  expiredTime: number;
  paidAt: number | null;
  items: { sku?: string; name: string; price: number; quantity: number }[];
  payCode: string | null;
  qrString: string | null;
}

export interface TripaySimulatorOptions {
  /** Where callbacks go when a charge names no callback_url. */
  defaultCallbackUrl: () => string;
  credentials?: { apiKey: string; privateKey: string; merchantCode: string };
}

export function createTripaySimulator(options: TripaySimulatorOptions): Simulator & { pay(reference: string): Promise<void> } {
  const credentials = options.credentials ?? TRIPAY_SANDBOX_CREDENTIALS;
  const state = createSimulatorState({ retry_interval_ms: 120_000, auto_pay_ms: 0, callback_url: "" as string });
  const transactions = new Map<string, Transaction>();
  let sequence = 0;

  const fee = (channel: Channel, amount: number) => channel.flat + Math.ceil((amount * channel.percentBp) / 10_000);

  const view = (trx: Transaction, base: string) => ({
    reference: trx.reference,
    merchant_ref: trx.merchantRef,
    payment_selection_type: "static",
    payment_method: trx.channel.code,
    payment_name: trx.channel.name,
    customer_name: trx.customer.name,
    customer_email: trx.customer.email,
    customer_phone: trx.customer.phone,
    callback_url: trx.callbackUrl,
    amount: trx.amount + trx.feeCustomer,
    fee_merchant: trx.feeMerchant,
    fee_customer: trx.feeCustomer,
    total_fee: trx.feeMerchant + trx.feeCustomer,
    amount_received: trx.amount - trx.feeMerchant,
    pay_code: trx.payCode,
    pay_url: trx.channel.type === "redirect" ? `${base}/checkout/${trx.reference}` : null,
    checkout_url: `${base}/checkout/${trx.reference}`,
    status: trx.status,
    expired_time: trx.expiredTime,
    paid_at: trx.paidAt === null ? null : String(trx.paidAt),
    order_items: trx.items.map((item) => ({ ...item, subtotal: item.price * item.quantity })),
    instructions: [{ title: `Pay with ${trx.channel.name}`, steps: [`Use code ${trx.payCode ?? trx.qrString ?? trx.reference}`] }],
    qr_string: trx.qrString,
    qr_url: trx.qrString ? `${base}/qr/${trx.reference}.png` : null,
  });

  /** Serialises once, signs exactly those bytes, POSTs with Tripay's headers and retry policy. */
  const sendCallback = async (trx: Transaction, status: Transaction["status"], overrides: Record<string, unknown> = {}) => {
    const faults = state.callbackFaults;
    if (faults.drop) return;
    const url = trx.callbackUrl || state.config.callback_url || options.defaultCallbackUrl();
    const totalAmount = trx.amount + trx.feeCustomer - (faults.wrong_amount ? 1 : 0);
    const payload = {
      reference: trx.reference,
      merchant_ref: trx.merchantRef,
      payment_method: trx.channel.name,
      payment_method_code: trx.channel.code,
      total_amount: totalAmount,
      fee_merchant: trx.feeMerchant,
      fee_customer: trx.feeCustomer,
      total_fee: trx.feeMerchant + trx.feeCustomer,
      amount_received: totalAmount - trx.feeMerchant - trx.feeCustomer,
      is_closed_payment: 1,
      status,
      paid_at: status === "PAID" ? trx.paidAt : null,
      // with escaped_slashes a URL in the note makes PHP-style "\/" escaping visible
      note: faults.escaped_slashes ? "paid via https://tripay.co.id/simulator" : null,
      ...overrides,
    };
    let body = JSON.stringify(payload);
    if (faults.escaped_slashes) body = body.replaceAll("/", "\\/");
    const signature = faults.bad_signature ? tripayCallbackSignature("not-the-private-key", body) : tripayCallbackSignature(credentials.privateKey, body);
    const send = () =>
      deliverCallback(state, {
        url,
        headers: { "content-type": "application/json", "x-callback-event": "payment_status", "x-callback-signature": signature },
        body,
        isAccepted: (code, text) => code === 200 && safeParse(text)?.success === true,
        retries: 3,
        retryIntervalMs: Number(state.config.retry_interval_ms),
      });
    await send();
    if (faults.duplicate) await send();
  };

  const settle = async (trx: Transaction, status: Transaction["status"]) => {
    if (status === "PAID" && state.callbackFaults.late_paid_after_expired && trx.status === "UNPAID") {
      trx.status = "EXPIRED";
      await sendCallback(trx, "EXPIRED");
    }
    trx.status = status;
    if (status === "PAID") trx.paidAt = Math.floor(Date.now() / 1000);
    await sendCallback(trx, status);
  };

  const api = express.Router();
  api.use(express.json(), express.urlencoded({ extended: true }));
  api.use((req, res, next) => {
    const auth = req.headers.authorization ?? "";
    if (!safeEqual(auth, `Bearer ${credentials.apiKey}`)) return void res.status(401).json({ success: false, message: "Invalid API Key" });
    next();
  });
  const base = (req: Request) => `${req.protocol}://${req.get("host")}/tripay`;

  api.get("/merchant/payment-channel", withFaults(state, "payment-channel"), (_req, res) => {
    res.json({
      success: true,
      message: "Success",
      data: CHANNELS.map((c) => ({
        group: c.group, code: c.code, name: c.name, type: c.type,
        fee_merchant: { flat: c.flat, percent: (c.percentBp / 100).toFixed(2) }, fee_customer: { flat: 0, percent: "0.00" },
        total_fee: { flat: c.flat, percent: (c.percentBp / 100).toFixed(2) }, minimum_fee: null, maximum_fee: null,
        minimum_amount: c.min, maximum_amount: c.max, icon_url: "", active: true,
      })),
    });
  });

  api.get("/merchant/fee-calculator", withFaults(state, "fee-calculator"), (req, res) => {
    const amount = Number(req.query.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) return void res.status(400).json({ success: false, message: "Invalid amount" });
    const list = CHANNELS.filter((c) => !req.query.code || c.code === req.query.code);
    res.json({
      success: true,
      message: "Success",
      data: list.map((c) => ({ code: c.code, name: c.name, fee: { flat: c.flat, percent: (c.percentBp / 100).toFixed(2), min: null, max: null }, total_fee: { merchant: fee(c, amount), customer: 0 } })),
    });
  });

  api.post("/transaction/create", withFaults(state, "transaction-create"), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, any>;
    const amount = Number(body.amount);
    const expected = tripayCreateSignature(credentials.privateKey, credentials.merchantCode, String(body.merchant_ref ?? ""), String(body.amount ?? ""));
    if (!safeEqual(String(body.signature ?? ""), expected)) return void res.status(400).json({ success: false, message: "Invalid signature" });
    const channel = CHANNELS.find((c) => c.code === body.method);
    const refuse = (message: string) => res.status(400).json({ success: false, message });
    if (!channel) return void refuse("Payment channel is not enabled");
    if (!Number.isSafeInteger(amount) || amount < channel.min || amount > channel.max) return void refuse("Amount is outside the channel limits");
    const items = Array.isArray(body.order_items) ? body.order_items : Object.values(body.order_items ?? {});
    const sum = (items as any[]).reduce((total, item) => total + Number(item.price) * Number(item.quantity), 0);
    if (sum !== amount) return void refuse("Total order items does not match the amount");
    const now = Math.floor(Date.now() / 1000);
    const expiredTime = body.expired_time ? Number(body.expired_time) : now + 24 * 3600;
    if (expiredTime <= now) return void refuse("expired_time must be in the future");
    if (!body.customer_name || !body.customer_email) return void refuse("customer_name and customer_email are required");
    sequence += 1;
    const reference = `DEV-${credentials.merchantCode}${String(sequence).padStart(9, "0")}${randomLetters(5)}`;
    const trx: Transaction = {
      reference,
      merchantRef: String(body.merchant_ref),
      channel,
      amount,
      feeMerchant: fee(channel, amount),
      feeCustomer: 0,
      customer: { name: String(body.customer_name), email: String(body.customer_email), phone: String(body.customer_phone ?? "") },
      callbackUrl: body.callback_url ? String(body.callback_url) : null,
      status: "UNPAID",
      expiredTime,
      paidAt: null,
      items: items as Transaction["items"],
      payCode: channel.group === "E-Wallet" ? null : `${8000 + randomInt(999)}${String(randomInt(1e8)).padStart(8, "0")}`,
      qrString: channel.code.startsWith("QRIS") ? `00020101021226670016COM.NOBUBANK.WWW01189360050300000898240214${reference}5204481253033605406${amount}.005802ID6304ABCD` : null,
    };
    transactions.set(reference, trx);
    const local = trx.customer.email.split("@")[0];
    if (local === "autopay") later(1000, () => trx.status === "UNPAID" && settle(trx, "PAID"));
    else if (local === "autoexpire") later(1000, () => trx.status === "UNPAID" && settle(trx, "EXPIRED"));
    else if (local === "autofail") later(50, () => trx.status === "UNPAID" && settle(trx, "FAILED"));
    else if (Number(state.config.auto_pay_ms) > 0) later(Number(state.config.auto_pay_ms), () => trx.status === "UNPAID" && settle(trx, "PAID"));
    later(Math.max(0, expiredTime * 1000 - Date.now()), () => trx.status === "UNPAID" && settle(trx, "EXPIRED"));
    res.json({ success: true, message: "", data: view(trx, base(req)) });
  });

  const byReference = (req: Request, res: Response): Transaction | undefined => {
    const trx = transactions.get(String(req.query.reference ?? ""));
    if (!trx) res.status(404).json({ success: false, message: "Transaction not found" });
    return trx;
  };
  api.get("/transaction/detail", withFaults(state, "transaction-detail"), (req, res) => {
    const trx = byReference(req, res);
    if (trx) res.json({ success: true, message: "", data: view(trx, base(req)) });
  });
  api.get("/transaction/check-status", withFaults(state, "check-status"), (req, res) => {
    const trx = byReference(req, res);
    if (trx) res.json({ success: true, message: `Status transaksi saat ini ${trx.status}` });
  });
  api.get("/merchant/transactions", withFaults(state, "transactions"), (req, res) => {
    const perPage = Math.min(50, Number(req.query.per_page) || 50);
    let list = [...transactions.values()];
    if (req.query.merchant_ref) list = list.filter((t) => t.merchantRef === req.query.merchant_ref);
    if (req.query.reference) list = list.filter((t) => t.reference === req.query.reference);
    if (req.query.status) list = list.filter((t) => t.status === req.query.status);
    if (req.query.sort !== "asc") list.reverse();
    const data = list.slice(0, perPage).map((t) => view(t, base(req)));
    res.json({ success: true, message: "", data, pagination: { sort: req.query.sort ?? "desc", current_page: 1, last_page: 1, per_page: perPage, total_records: list.length } });
  });
  api.get("/payment/instruction", (req, res) => {
    res.json({ success: true, message: "", data: [{ title: `Pay with ${String(req.query.code)}`, steps: [`Enter ${String(req.query.pay_code ?? "{{pay_code}}")}`] }] });
  });

  const router = express.Router();
  router.use("/api-sandbox", api);
  router.use("/api", api);
  const control = controlRouter(state, () => transactions.clear());
  control.post("/transactions/:reference/:outcome", async (req, res) => {
    const trx = transactions.get(String(req.params.reference));
    const outcome = { pay: "PAID", expire: "EXPIRED", fail: "FAILED", refund: "REFUND" }[String(req.params.outcome)] as Transaction["status"] | undefined;
    if (!trx || !outcome) return void res.status(404).json({ error: "unknown transaction or outcome" });
    await settle(trx, outcome);
    res.json({ reference: trx.reference, status: trx.status, deliveries: state.deliveries.length });
  });
  router.use("/__sim", control);
  router.get("/checkout/:reference", (req, res) => {
    const trx = transactions.get(String(req.params.reference));
    if (!trx) return void res.status(404).send("not found");
    res.type("html").send(`<h1>Tripay sandbox</h1><p>${trx.reference}: Rp ${trx.amount} — ${trx.status}</p>`);
  });

  return {
    name: "tripay",
    router,
    async pay(reference: string) {
      const trx = transactions.get(reference);
      if (!trx) throw new Error(`Tripay simulator: unknown transaction ${reference}`);
      await settle(trx, "PAID");
    },
    async stop() {
      stopTimers();
    },
  };
}

function randomLetters(count: number): string {
  let letters = "";
  for (let i = 0; i < count; i++) letters += String.fromCharCode(65 + randomInt(26));
  return letters;
}

function safeParse(text: string): { success?: unknown } | undefined {
  try {
    return JSON.parse(text) as { success?: unknown };
  } catch {
    return undefined;
  }
}
