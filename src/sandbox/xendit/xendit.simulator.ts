import { randomBytes } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { safeEqual } from "../../core/crypto";
import { xenditAuthorization } from "../../modules/payments/gateways/xendit/xendit.signature";
import type { AppConfig } from "../../core/config";
import { loadXenditConfig } from "../../modules/payments/gateways/xendit/xendit.config";
import type { Simulator } from "../sandbox-server";
import type { SimulatorLinks } from "../simulators";
import { controlRouter, createSimulatorState, deliverCallback, later, withFaults } from "../sim-kit";

/**
 * Xendit Invoices simulator (../shared/providers/xendit.md §5), mounted at /xendit:
 * POST/GET /v2/invoices, GET /v2/invoices/<id>, POST /invoices/<id>/expire!,
 * GET /checkout/<id> (hosted page with Pay / Expire buttons). Control:
 * /__sim/config, /__sim/faults, /__sim/callbacks, /__sim/invoices,
 * /__sim/invoices/<id>/pay|settle|expire, /__sim/reset. The QR Codes API is not simulated.
 */
export interface XenditSimulatorOptions {
  secretKey: string;
  callbackToken: string;
  /** The store's invoice callback (Xendit's is set in its dashboard, not per invoice). */
  callbackUrl: () => string;
}

export interface XenditSimConfig {
  /** divides the retry schedule (1/60 → 15 s, 1 min, 3 min, ...) */
  time_scale: number;
  /** multiplies the wait until expiry_date (1 = real time) */
  expiry_time_scale: number;
  allow_live_keys: boolean;
  honour_idempotency_key: boolean;
  /** pay every new invoice after this many ms (0 = off) */
  auto_pay_ms: number;
  /** overrides options.callbackUrl when set */
  callback_url: string;
}

interface SimInvoice {
  id: string;
  external_id: string;
  user_id: string;
  is_high: boolean;
  status: "PENDING" | "PAID" | "SETTLED" | "EXPIRED";
  merchant_name: string;
  amount: number;
  paid_amount?: number;
  payer_email?: string;
  description?: string;
  expiry_date: string;
  invoice_url: string;
  currency: string;
  payment_methods: string[];
  paid_at?: string;
  payment_method?: string;
  payment_channel?: string;
  payment_destination?: string;
  success_redirect_url?: string;
  failure_redirect_url?: string;
  items?: unknown;
  created: string;
  updated: string;
}

const DEFAULTS: XenditSimConfig = {
  time_scale: 1 / 60,
  expiry_time_scale: 1,
  allow_live_keys: false,
  honour_idempotency_key: false,
  auto_pay_ms: 0,
  callback_url: "",
};

/** Payment method codes the simulated account has enabled, and how Xendit files them. */
const METHODS: Record<string, string> = {
  QRIS: "QR_CODE",
  BCA: "BANK_TRANSFER",
  BNI: "BANK_TRANSFER",
  BRI: "BANK_TRANSFER",
  MANDIRI: "BANK_TRANSFER",
  PERMATA: "BANK_TRANSFER",
  OVO: "EWALLET",
  DANA: "EWALLET",
  SHOPEEPAY: "EWALLET",
  LINKAJA: "EWALLET",
  ALFAMART: "RETAIL_OUTLET",
  INDOMARET: "RETAIL_OUTLET",
};

/** Documented retry schedule after the first attempt: 15 m, 1 h, 3 h, 6 h, 12 h, 24 h. */
const RETRY_MINUTES = [15, 60, 180, 360, 720, 1440];

export type XenditSimulator = Simulator & {
  /** Pays an invoice by its id, as the buyer would (used by simulatePayment). */
  payInvoice(id: string, channel?: string): Promise<boolean>;
  expireInvoice(id: string): Promise<boolean>;
};

export function createXenditSimulator(options: XenditSimulatorOptions): XenditSimulator {
  const state = createSimulatorState<XenditSimConfig>(DEFAULTS);
  const invoices = new Map<string, SimInvoice>();
  const idempotent = new Map<string, string>();
  const router = express.Router();
  router.use(express.json());
  router.use(express.urlencoded({ extended: false }));

  const error = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error_code: code, message });

  const authenticated = (req: Request, res: Response, next: NextFunction) => {
    const header = req.get("authorization") ?? "";
    const live = options.secretKey.startsWith("xnd_production_") && !state.config.allow_live_keys;
    if (live || !safeEqual(header, xenditAuthorization(options.secretKey))) return void error(res, 401, "INVALID_API_KEY", "API key is invalid");
    next();
  };

  router.post("/v2/invoices", withFaults(state, "invoices"), authenticated, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = req.get("idempotency-key");
    if (key && state.config.honour_idempotency_key && idempotent.has(key)) return void res.json(invoices.get(idempotent.get(key)!));
    const amount = Number(body.amount);
    if (typeof body.external_id !== "string" || body.external_id === "" || body.amount === undefined || !Number.isFinite(amount) || amount <= 0) {
      return void error(res, 400, "API_VALIDATION_ERROR", "external_id and a positive amount are required");
    }
    const methods = Array.isArray(body.payment_methods) ? body.payment_methods.map(String) : Object.keys(METHODS);
    const unknown = methods.find((method) => !METHODS[method]);
    if (unknown) return void error(res, 400, "UNAVAILABLE_PAYMENT_METHOD_ERROR", `payment method ${unknown} is not available`);
    const now = new Date();
    const duration = Number(body.invoice_duration) > 0 ? Number(body.invoice_duration) : 86_400;
    const id = randomBytes(12).toString("hex");
    const invoice: SimInvoice = {
      id,
      external_id: body.external_id,
      user_id: "5f0000000000000000000001",
      is_high: false,
      status: "PENDING",
      merchant_name: "Lapak Sandbox",
      amount: Math.trunc(amount), // IDR has no minor unit: Xendit truncates
      payer_email: typeof body.payer_email === "string" ? body.payer_email : undefined,
      description: typeof body.description === "string" ? body.description : undefined,
      expiry_date: new Date(now.getTime() + duration * 1000).toISOString(),
      invoice_url: `${req.protocol}://${req.get("host")}${req.baseUrl}/checkout/${id}`,
      currency: "IDR",
      payment_methods: methods,
      success_redirect_url: typeof body.success_redirect_url === "string" ? body.success_redirect_url : undefined,
      failure_redirect_url: typeof body.failure_redirect_url === "string" ? body.failure_redirect_url : undefined,
      items: body.items,
      created: now.toISOString(),
      updated: now.toISOString(),
    };
    invoices.set(id, invoice);
    if (key) idempotent.set(key, id);
    later(Math.min(duration * 1000 * state.config.expiry_time_scale, 2 ** 31 - 1), () => expire(id));
    const ending = invoice.amount % 1000;
    if (ending === 1 || ending === 3) later(2000, () => pay(id));
    if (ending === 2) later(2000, () => expire(id));
    if (ending === 3) later(7000, () => settle(id));
    if (state.config.auto_pay_ms > 0) later(state.config.auto_pay_ms, () => pay(id));
    res.json(invoice);
  });

  router.get("/v2/invoices", withFaults(state, "invoices"), authenticated, (req, res) => {
    const query = req.query as Record<string, unknown>;
    const statuses = readStatuses(query.statuses);
    const limit = Math.min(Number(query.limit) > 0 ? Number(query.limit) : 10, 100);
    const found = [...invoices.values()]
      .filter((invoice) => query.external_id === undefined || invoice.external_id === query.external_id)
      .filter((invoice) => statuses.length === 0 || statuses.includes(invoice.status))
      .reverse() // newest first
      .slice(0, limit);
    res.json(found);
  });

  router.get("/v2/invoices/:id", withFaults(state, "invoices"), authenticated, (req, res) => {
    const invoice = invoices.get(String(req.params.id));
    if (!invoice) return void error(res, 404, "INVOICE_NOT_FOUND_ERROR", "Invoice not found");
    res.json(invoice);
  });

  // the real path ends in a literal "!"
  router.post(/^\/invoices\/([^/]+)\/expire!$/, withFaults(state, "invoices"), authenticated, async (req, res) => {
    const id = String((req.params as Record<string, string>)[0]);
    const invoice = invoices.get(id);
    if (!invoice) return void error(res, 404, "INVOICE_NOT_FOUND_ERROR", "Invoice not found");
    if (invoice.status !== "PENDING") return void error(res, 400, "INVOICE_NOT_PENDING_ERROR", `Invoice is ${invoice.status}`);
    await expire(id);
    res.json(invoice);
  });

  router.get("/checkout/:id", (req, res) => {
    const invoice = invoices.get(String(req.params.id));
    if (!invoice) return void res.status(404).type("text").send("invoice not found");
    const action = (what: string) => `${req.baseUrl}/__sim/invoices/${invoice.id}/${what}`;
    res.type("html").send(
      `<!doctype html><title>Xendit sandbox</title><h1>${invoice.merchant_name}</h1><p>${invoice.external_id}: IDR ${invoice.amount} — ${invoice.status}</p>` +
        `<form method="post" action="${action("pay")}"><select name="channel">${invoice.payment_methods.map((m) => `<option>${m}</option>`).join("")}</select><button>Pay</button></form>` +
        `<form method="post" action="${action("expire")}"><button>Expire</button></form>`,
    );
  });

  const sim = express.Router();
  sim.get("/invoices", (_req, res) => res.json([...invoices.values()]));
  const outcome = (run: (id: string, body: Record<string, unknown>) => Promise<boolean>) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const done = await run(id, (req.body ?? {}) as Record<string, unknown>);
    res.status(invoices.has(id) ? (done ? 200 : 409) : 404).json({ invoice: invoices.get(id) ?? null });
  };
  sim.post("/invoices/:id/pay", outcome((id, body) => pay(id, typeof body.channel === "string" ? body.channel : undefined)));
  sim.post("/invoices/:id/settle", outcome((id) => settle(id)));
  sim.post("/invoices/:id/expire", outcome((id) => expire(id)));
  router.use("/__sim", sim);
  router.use("/__sim", controlRouter(state, () => {
    invoices.clear();
    idempotent.clear();
  }));

  async function pay(id: string, channel?: string): Promise<boolean> {
    const invoice = invoices.get(id);
    if (!invoice || invoice.status !== "PENDING") return false;
    const code = channel && METHODS[channel] ? channel : (invoice.payment_methods[0] ?? "QRIS");
    Object.assign(invoice, {
      status: "PAID",
      paid_amount: invoice.amount,
      paid_at: new Date().toISOString(),
      payment_method: METHODS[code],
      payment_channel: code,
      payment_destination: METHODS[code] === "BANK_TRANSFER" ? `88088${invoice.id.slice(-7).replace(/\D/g, "7")}` : "",
      updated: new Date().toISOString(),
    });
    const faults = state.callbackFaults;
    if (faults.paid_after_expired) await sendCallback({ ...invoice, status: "EXPIRED", paid_amount: undefined, paid_at: undefined });
    await sendCallback(invoice);
    if (faults.out_of_order) await sendCallback({ ...invoice, status: "EXPIRED", paid_amount: undefined, paid_at: undefined });
    return true;
  }

  /** Moves an invoice from one status to the next and tells the store. */
  async function move(id: string, from: SimInvoice["status"], to: SimInvoice["status"]): Promise<boolean> {
    const invoice = invoices.get(id);
    if (!invoice || invoice.status !== from) return false;
    Object.assign(invoice, { status: to, updated: new Date().toISOString() });
    await sendCallback(invoice);
    return true;
  }
  const settle = (id: string) => move(id, "PAID", "SETTLED");
  const expire = (id: string) => move(id, "PENDING", "EXPIRED");

  async function sendCallback(invoice: SimInvoice): Promise<void> {
    const faults = state.callbackFaults;
    if (faults.drop) return;
    const { invoice_url: _url, payment_methods: _methods, expiry_date: _expiry, ...fields } = invoice;
    const body = { ...fields, paid_amount: faults.amount_mismatch && fields.paid_amount !== undefined ? fields.paid_amount - 1 : fields.paid_amount };
    const token = faults.wrong_token ? `${options.callbackToken}-wrong` : options.callbackToken;
    const deliver = () =>
      deliverCallback(state, {
        url: state.config.callback_url || options.callbackUrl(),
        headers: { "content-type": "application/json", ...(faults.missing_token ? {} : { "x-callback-token": token }) },
        body: JSON.stringify(body),
        isAccepted: (status) => status >= 200 && status < 300,
        retries: RETRY_MINUTES.length,
        retryIntervalMs: 0,
        retryDelayMs: (retry) => (RETRY_MINUTES[retry - 1]! - (RETRY_MINUTES[retry - 2] ?? 0)) * 60_000 * state.config.time_scale,
        noRetryAfterTimeout: true,
      });
    await deliver();
    if (faults.duplicate) await deliver();
  }

  return { name: "xendit", router, payInvoice: pay, expireInvoice: expire };
}

/** `statuses` as Xendit clients send it: repeated, comma-separated or a JSON array string. */
function readStatuses(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
  return raw.flatMap((item) => item.replace(/[[\]"]/g, "").split(",")).map((s) => s.trim()).filter(Boolean);
}

/** The simulator as the sandbox hosts it: same key and token as the adapter, callbacks to the store. */
export const sandboxXenditSimulator = (config: AppConfig, links: SimulatorLinks) =>
  createXenditSimulator({ ...loadXenditConfig(config), callbackUrl: () => `${links.storeUrl()}/webhooks/xendit/invoice` });
