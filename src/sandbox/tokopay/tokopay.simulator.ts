import { randomInt } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { md5, safeEqual } from "../../core/crypto";
import { tokopayMerchantSignature, tokopayOrderSignature } from "../../modules/payments/gateways/tokopay/tokopay.signature";
import { emvQrString } from "../emv-qr";
import type { AppConfig } from "../../core/config";
import { loadTokopayConfig } from "../../modules/payments/gateways/tokopay/tokopay.config";
import type { Simulator } from "../sandbox-server";
import type { SimulatorLinks } from "../simulators";
import { controlRouter, createSimulatorState, deliverCallback, later, withFaults } from "../sim-kit";
import { TOKOPAY_CHANNEL_KINDS, tokopayFee, wibTime, type TokopayChannelKind } from "./tokopay.fixtures";

/**
 * Tokopay simulator (../shared/providers/tokopay.md §6), mounted at /tokopay:
 * /v1/order (GET simple, POST advanced; same ref id again = status), /v1/merchant,
 * /v1/merchant/balance, /v1/merchant/tarik-saldo, /pay/<trx_id>, /qr/<trx_id>.png.
 * Control: /__sim/config, /__sim/faults, /__sim/orders, /__sim/orders/<ref_id>/pay|expire,
 * /__sim/webhooks (= /__sim/callbacks), /__sim/reset.
 */
export interface TokopaySimulatorOptions {
  merchantId: string;
  secret: string;
  /** The store's webhook (Tokopay's is set in its dashboard, not per order). */
  callbackUrl: () => string;
  /** settings to start with instead of the defaults (/__sim/config changes them later) */
  config?: Partial<TokopaySimConfig>;
}

export interface TokopaySimConfig {
  /** divides the 2-minute webhook retry interval (1/60 → 2 s) */
  time_scale: number;
  /** multiplies the wait until expired_ts (1 = real time) */
  expiry_time_scale: number;
  fee_borne_by: "buyer" | "merchant";
  qris_fee_permille: number;
  va_fee: number;
  ewallet_fee_permille: number;
  /** include data.status in order answers (real Tokopay: undocumented) */
  status_field: boolean;
  send_expired: boolean;
  /** send X-Forwarded-For: 178.128.104.179 with webhooks */
  spoof_ip: boolean;
  /** pay every new order after this many ms (0 = off) */
  auto_pay_ms: number;
  /** overrides options.callbackUrl when set */
  callback_url: string;
}

interface SimOrder {
  ref_id: string;
  trx_id: string;
  channel: string;
  kind: TokopayChannelKind;
  amount: number;
  total_bayar: number;
  total_diterima: number;
  customer: { name: string; email: string; phone: string };
  status: "Unpaid" | "Paid" | "Expired";
  created_at: Date;
  updated_at: Date;
  expired_ts: number;
  /** scripted "003": the webhook reports one rupiah less */
  short_by: number;
  base: string;
}

const DEFAULTS: TokopaySimConfig = {
  time_scale: 1 / 60,
  expiry_time_scale: 1,
  fee_borne_by: "buyer",
  qris_fee_permille: 7,
  va_fee: 4200,
  ewallet_fee_permille: 20,
  status_field: false,
  send_expired: false,
  spoof_ip: false,
  auto_pay_ms: 0,
  callback_url: "",
};

export type TokopaySimulator = Simulator & {
  /** Pays an order by Lapak's ref id, as the buyer would (used by simulatePayment). */
  payOrder(refId: string): Promise<boolean>;
  expireOrder(refId: string): Promise<boolean>;
};

export function createTokopaySimulator(options: TokopaySimulatorOptions): TokopaySimulator {
  const state = createSimulatorState<TokopaySimConfig>({ ...DEFAULTS, ...options.config });
  const orders = new Map<string, SimOrder>();
  let counter = 0;
  let balance = { saldo_tersedia: 0, saldo_tertahan: 0 };
  const router = express.Router();
  router.use(express.json());
  router.use(express.urlencoded({ extended: false }));

  const fail = (res: Response, message: string) => res.status(200).json({ status: "Failed", error_msg: message });

  const orderData = (order: SimOrder): Record<string, unknown> => {
    const common = { pay_url: `${order.base}/pay/${order.trx_id}`, total_bayar: order.total_bayar, total_diterima: order.total_diterima, trx_id: order.trx_id };
    const guide = "\u003cp\u003eBayar sebelum batas waktu.\u003c/p\u003e";
    const data: Record<string, unknown> =
      order.kind === "qris"
        ? { other: "", panduan_pembayaran: guide, qr_link: `${order.base}/qr/${order.trx_id}.png`, qr_string: emvQrString("LAPAK SANDBOX", order.total_bayar, order.trx_id), ...common }
        : order.kind === "va"
          ? { nomor_va: vaNumber(order.trx_id), panduan_pembayaran: guide, ...common }
          : { checkout_url: `${order.base}/pay/${order.trx_id}`, ...common };
    if (state.config.status_field) data.status = order.status;
    return data;
  };

  const createOrder = (req: Request, input: { ref: string; channel: string; amount: number; customer: SimOrder["customer"]; expiredTs: number }) => {
    const kind = TOKOPAY_CHANNEL_KINDS[input.channel];
    if (!kind) return "Metode pembayaran tidak tersedia";
    if (!Number.isSafeInteger(input.amount) || input.amount < 1000) return "Nominal minimal 1000";
    const fee = tokopayFee(state.config, kind, input.amount);
    const buyerPays = state.config.fee_borne_by === "buyer";
    const now = new Date();
    const expiredTs = input.expiredTs > 0 ? input.expiredTs : Math.floor(now.getTime() / 1000) + 24 * 3600;
    const order: SimOrder = {
      ref_id: input.ref,
      trx_id: `TP${wibTime(now).slice(2, 10).replace(/-/g, "")}${randomLetters(4)}${String(++counter).padStart(6, "0")}`,
      channel: input.channel,
      kind,
      amount: input.amount,
      total_bayar: buyerPays ? input.amount + fee : input.amount,
      total_diterima: buyerPays ? input.amount : input.amount - fee,
      customer: input.customer,
      status: "Unpaid",
      created_at: now,
      updated_at: now,
      expired_ts: expiredTs,
      short_by: input.amount % 1000 === 3 ? 1 : 0,
      base: `${req.protocol}://${req.get("host")}${req.baseUrl}`,
    };
    orders.set(order.ref_id, order);
    const untilExpiry = Math.max(0, (expiredTs * 1000 - now.getTime()) * state.config.expiry_time_scale);
    later(Math.min(untilExpiry, 2 ** 31 - 1), () => expire(order.ref_id));
    const ending = input.amount % 1000;
    if (ending === 1 || ending === 3) later(2000, () => pay(order.ref_id));
    if (ending === 2) later(2000, () => expire(order.ref_id));
    if (state.config.auto_pay_ms > 0) later(state.config.auto_pay_ms, () => pay(order.ref_id));
    return order;
  };

  const answerOrder = (res: Response, order: SimOrder | string) =>
    typeof order === "string" ? fail(res, order) : res.json({ status: "Success", data: orderData(order) });

  // advanced order, and the same ref id again = its current state
  router.post("/v1/order", htmlErrorFault(state), withFaults(state, "order"), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ref = String(body.reff_id ?? "");
    if (body.merchant_id !== options.merchantId) return void fail(res, "Merchant tidak valid");
    if (!ref || typeof body.signature !== "string" || !safeEqual(body.signature, tokopayOrderSignature(options.merchantId, options.secret, ref))) {
      return void fail(res, "Signature tidak valid");
    }
    const existing = orders.get(ref);
    if (existing) return void answerOrder(res, existing);
    const customer = { name: String(body.customer_name ?? ""), email: String(body.customer_email ?? ""), phone: String(body.customer_phone ?? "") };
    if (!customer.name || !customer.email || !customer.phone) return void fail(res, "Data customer wajib diisi");
    answerOrder(res, createOrder(req, { ref, channel: String(body.kode_channel ?? ""), amount: Number(body.amount), customer, expiredTs: Number(body.expired_ts ?? 0) }));
  });

  // simple order: the secret travels in the query string
  router.get("/v1/order", htmlErrorFault(state), withFaults(state, "order"), (req, res) => {
    const query = req.query as Record<string, string | undefined>;
    if (query.merchant !== options.merchantId || !query.secret || !safeEqual(query.secret, options.secret)) return void fail(res, "Merchant tidak valid");
    const ref = query.ref_id ?? "";
    if (!ref) return void fail(res, "ref_id wajib diisi");
    const existing = orders.get(ref);
    if (existing) return void answerOrder(res, existing);
    const customer = { name: "Customer", email: "customer@example.com", phone: "080000000000" };
    answerOrder(res, createOrder(req, { ref, channel: query.metode ?? "", amount: Number(query.nominal), customer, expiredTs: 0 }));
  });

  const merchantSigned = (body: Record<string, unknown>) =>
    body.merchant_id === options.merchantId &&
    typeof body.signature === "string" &&
    safeEqual(body.signature, tokopayMerchantSignature(options.merchantId, options.secret));
  const merchantInfo = () => ({ status: "Success", data: { nama_toko: "Lapak Sandbox", ...balance } });

  router.post("/v1/merchant", withFaults(state, "merchant"), (req, res) => {
    if (!merchantSigned((req.body ?? {}) as Record<string, unknown>)) return void res.json({ status: "0", error_msg: "Signature tidak valid" });
    res.json(merchantInfo());
  });
  router.get("/v1/merchant/balance", withFaults(state, "merchant"), (req, res) => {
    const query = req.query as Record<string, string | undefined>;
    if (query.merchant !== options.merchantId || !query.secret || !safeEqual(query.secret, options.secret)) return void fail(res, "Merchant tidak valid");
    res.json(merchantInfo());
  });
  router.post("/v1/merchant/tarik-saldo", withFaults(state, "merchant"), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!merchantSigned(body)) return void res.json({ status: "0", error_msg: "Signature tidak valid" });
    const amount = Number(body.nominal);
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > balance.saldo_tersedia) return void fail(res, "Saldo tidak mencukupi");
    balance = { ...balance, saldo_tersedia: balance.saldo_tersedia - amount };
    res.json({ status: "Success", data: { nominal: amount, ...balance } });
  });

  // the hosted pay page (sandbox only: a button instead of a bank)
  router.get("/pay/:trx", (req, res) => {
    const order = [...orders.values()].find((candidate) => candidate.trx_id === req.params.trx);
    if (!order) return void res.status(404).type("text").send("order not found");
    res.type("html").send(
      `<!doctype html><title>Tokopay sandbox</title><h1>${order.trx_id}</h1><p>Total: Rp ${order.total_bayar} — ${order.status}</p>` +
        `<form method="post" action="${req.baseUrl}/__sim/orders/${encodeURIComponent(order.ref_id)}/pay"><button>Bayar</button></form>`,
    );
  });
  router.get("/qr/:file", (_req, res) => res.type("png").send(PLACEHOLDER_PNG));

  const sim = express.Router();
  sim.get("/orders", (_req, res) => res.json([...orders.values()].map(({ base: _base, ...order }) => order)));
  sim.get("/webhooks", (_req, res) => res.json(state.deliveries));
  sim.post("/orders/:ref/pay", async (req, res) => res.status((await pay(String(req.params.ref))) ? 200 : 409).json({ order: publicOrder(String(req.params.ref)) }));
  sim.post("/orders/:ref/expire", async (req, res) => res.status((await expire(String(req.params.ref))) ? 200 : 409).json({ order: publicOrder(String(req.params.ref)) }));
  router.use("/__sim", sim);
  router.use("/__sim", controlRouter(state, () => orders.clear()));

  const publicOrder = (ref: string) => {
    const order = orders.get(ref);
    return order ? { ref_id: order.ref_id, trx_id: order.trx_id, status: order.status, total_bayar: order.total_bayar } : null;
  };

  async function pay(ref: string): Promise<boolean> {
    const order = orders.get(ref);
    if (!order || order.status !== "Unpaid") return false;
    order.status = "Paid";
    order.updated_at = new Date();
    balance = { ...balance, saldo_tersedia: balance.saldo_tersedia + order.total_diterima };
    await sendWebhook(order, "Success");
    return true;
  }

  async function expire(ref: string): Promise<boolean> {
    const order = orders.get(ref);
    if (!order || order.status !== "Unpaid") return false;
    order.status = "Expired";
    order.updated_at = new Date();
    if (state.config.send_expired) await sendWebhook(order, "Expired");
    return true;
  }

  async function sendWebhook(order: SimOrder, status: "Success" | "Expired"): Promise<void> {
    const faults = state.callbackFaults;
    if (faults.drop) return;
    const ref = faults.unknown_ref ? `${order.ref_id}-UNKNOWN` : order.ref_id;
    const merchantId = faults.wrong_merchant_id ? "M000000WRONG0000" : options.merchantId;
    const build = (totalDibayar: number) => ({
      data: {
        created_at: wibTime(order.created_at),
        customer_email: order.customer.email,
        customer_name: order.customer.name,
        customer_phone: order.customer.phone,
        merchant_id: merchantId,
        payment_channel: order.channel,
        total_dibayar: totalDibayar,
        total_diterima: order.total_diterima,
        updated_at: wibTime(order.updated_at),
      },
      reference: order.trx_id,
      reff_id: ref,
      // bad_signature: the classic mistake, no colons
      signature: faults.bad_signature ? md5(`${options.merchantId}${options.secret}${ref}`) : tokopayOrderSignature(options.merchantId, options.secret, ref),
      status,
    });
    const paid = order.total_bayar - order.short_by - (faults.amount_mismatch ? 1 : 0);
    const deliver = (body: unknown) =>
      deliverCallback(state, {
        url: state.config.callback_url || options.callbackUrl(),
        headers: { "content-type": "application/json", ...(state.config.spoof_ip ? { "x-forwarded-for": "178.128.104.179" } : {}) },
        body: JSON.stringify(body),
        isAccepted: (_status, text) => acknowledged(text),
        retries: 2,
        retryIntervalMs: 120_000 * state.config.time_scale,
      });
    await deliver(build(paid));
    if (faults.duplicate) await deliver(build(paid));
    // a replay: same (valid) signature, someone else's amount
    if (faults.replay_other_body) await deliver(build(Math.max(1000, Math.floor(paid / 10))));
  }

  return {
    name: "tokopay",
    router,
    payOrder: pay,
    expireOrder: expire,
  };
}

/** Tokopay counts a delivery as done only when the answer is JSON with status === true. */
function acknowledged(text: string): boolean {
  try {
    return (JSON.parse(text) as { status?: unknown }).status === true;
  } catch {
    return false;
  }
}

/** Endpoint fault Tokopay adds to the shared kit: a proxy's HTML error page. */
function htmlErrorFault(state: { faults: Record<string, object> }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if ((state.faults.order as { html_error_page?: boolean } | undefined)?.html_error_page) {
      return void res.status(502).type("html").send("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }
    next();
  };
}

const randomLetters = (count: number) => Array.from({ length: count }, () => String.fromCharCode(65 + randomInt(26))).join("");

/** 16 digits derived from the trx id so the same order always shows the same VA. */
const vaNumber = (trxId: string) => `8808${String(parseInt(trxId.slice(-6), 10)).padStart(12, "0")}`;

// 1x1 transparent PNG: the sandbox does not draw QR images (the qr_string is real EMV)
const PLACEHOLDER_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/**
 * The simulator as the sandbox hosts it: same credentials as the adapter, webhooks to the store.
 * Its status answer names the order's status: the store confirms every Tokopay callback with that
 * check and credits only when it clearly says paid (the simulator's own tests run without the field).
 */
export const sandboxTokopaySimulator = (config: AppConfig, links: SimulatorLinks) =>
  createTokopaySimulator({ ...loadTokopayConfig(config), callbackUrl: () => `${links.storeUrl()}/webhooks/tokopay`, config: { status_field: true } });
