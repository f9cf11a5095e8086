import { randomInt } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { hmacHex, md5 } from "../../core/crypto";
import type { Logger } from "../../core/logger";
import type { Simulator } from "../sandbox-server";
import { controlRouter, createSimulatorState, deliverCallback, later, withFaults, type SimulatorState } from "../sim-kit";
import { postpaidFixture, prepaidFixture, type PostpaidProduct, type PrepaidProduct } from "./digiflazz.fixture";
import { billCount, postpaidScript, prepaidScript } from "./digiflazz.scripts";

/**
 * The Digiflazz buyer API as a local server (providers/digiflazz.md §6):
 * POST /v1/{cek-saldo,price-list,deposit,transaction,inquiry-pln} plus /__sim
 * control endpoints. In memory; reset with POST /__sim/reset.
 */
export interface DigiflazzSimConfig {
  username: string;
  dev_key: string;
  prod_key: string;
  webhook_secret: string;
  /** the webhook set "in the panel"; cb_url in a request wins */
  webhook_url: string | null;
  /** Pending → final after this long */
  pending_delay_ms: number;
  /** rc 83 window for the full price list (0 = no limit) */
  pricelist_window_ms: number;
  /** rc 83 window between per-code price lookups */
  pricelist_code_window_ms: number;
  webhook_retries: number;
  webhook_retry_interval_ms: number;
  initial_deposit: number;
}

export const DIGIFLAZZ_SIM_DEFAULTS: DigiflazzSimConfig = {
  username: "lapaksim",
  dev_key: "dev-11111111-2222-3333-4444-555555555555",
  prod_key: "prod-99999999-8888-7777-6666-555555555555",
  webhook_secret: "fake-webhook-secret",
  webhook_url: null,
  pending_delay_ms: 2000,
  pricelist_window_ms: 5 * 60_000,
  pricelist_code_window_ms: 1000,
  webhook_retries: 3,
  webhook_retry_interval_ms: 1000,
  initial_deposit: 10_000_000,
};

export interface SimTransaction {
  ref_id: string;
  customer_no: string;
  buyer_sku_code: string;
  kind: "prepaid" | "postpaid";
  /** postpaid: "inquiry" until paid */
  stage: "inquiry" | "payment";
  status: "Sukses" | "Pending" | "Gagal";
  rc: string;
  message: string;
  sn: string;
  price: number;
  admin?: number;
  customer_name?: string;
  debited: boolean;
  testing: boolean;
  cb_url: string | null;
  /** how many requests named this ref_id (the first one and every re-check) */
  requests: number;
  created_at: string;
  updated_at: string;
}

/** Transaction-call faults beyond sim-kit's: the purchase is made and debited, but the HTTP answer never comes. */
interface TransactionFaults {
  succeed_then_timeout?: boolean;
}

const MESSAGES: Record<string, string> = {
  "00": "Transaksi Sukses",
  "02": "Transaksi Gagal",
  "03": "Transaksi Pending",
  "40": "Payload Error",
  "41": "Signature tidak valid",
  "42": "Gagal memproses API Buyer",
  "43": "SKU tidak ditemukan atau Non-Aktif",
  "44": "Saldo tidak cukup",
  "49": "Ref ID tidak unik",
  "50": "Transaksi Tidak Ditemukan",
  "54": "Nomor Tujuan Salah",
  "57": "Jumlah Digit Kurang Atau Lebih",
  "60": "Tagihan belum tersedia",
  "68": "Stok habis",
  "69": "Harga seller lebih besar dari ketentuan harga buyer",
  "83": "Limitasi pengecekan pricelist",
  "85": "Limitasi transaksi, coba 1 menit lagi",
  "99": "DF Router Issue",
};

const serialNumber = () => Array.from({ length: 20 }, () => randomInt(10)).join("");
const now = () => new Date().toISOString();

export function createDigiflazzSimulator(
  links: { storeUrl: () => string },
  logger?: Logger,
  overrides: Partial<DigiflazzSimConfig> = {},
): Simulator & { state: SimulatorState<DigiflazzSimConfig> } {
  const initialConfig = { ...DIGIFLAZZ_SIM_DEFAULTS, ...overrides };
  const state = createSimulatorState<DigiflazzSimConfig>(initialConfig);
  let transactions = new Map<string, SimTransaction>();
  let prepaid = new Map(prepaidFixture().map((p) => [p.buyer_sku_code, p]));
  let postpaid = new Map(postpaidFixture().map((p) => [p.buyer_sku_code, p]));
  let deposit = state.config.initial_deposit;
  let lastFullList = 0;
  let lastCodeLookup = 0;

  const reply = (res: Response, data: Record<string, unknown>, httpStatus = 200) => void res.status(httpStatus).json({ data });
  const refuse = (res: Response, rc: string, httpStatus = 400, extra: Record<string, unknown> = {}) =>
    reply(res, { ...extra, rc, status: "Gagal", message: MESSAGES[rc] ?? "Transaksi Gagal" }, httpStatus);

  /** Recomputes `sign` with both keys; returns the mode it matched, or answers rc 41/42 and returns null. */
  const authenticate = (req: Request, res: Response, suffixOf: (body: Record<string, unknown>) => string): "dev" | "prod" | null => {
    const body = req.body as Record<string, unknown>;
    const { username, dev_key, prod_key } = state.config;
    if (body.username !== username) return void refuse(res, "42"), null;
    const suffix = suffixOf(body);
    if (typeof body.sign === "string" && body.sign === md5(`${username}${dev_key}${suffix}`)) return "dev";
    if (typeof body.sign === "string" && body.sign === md5(`${username}${prod_key}${suffix}`)) return "prod";
    refuse(res, "41");
    return null;
  };

  const view = (tx: SimTransaction) => ({
    ref_id: tx.ref_id,
    customer_no: tx.customer_no,
    buyer_sku_code: tx.buyer_sku_code,
    message: tx.message,
    status: tx.status,
    rc: tx.rc,
    buyer_last_saldo: deposit,
    sn: tx.sn,
    price: tx.price,
    ...(tx.kind === "postpaid" ? { customer_name: tx.customer_name, admin: tx.admin } : {}),
    tele: "@simseller",
    wa: "081234512345",
  });

  const webhookTarget = (tx: SimTransaction) => tx.cb_url ?? state.config.webhook_url ?? `${links.storeUrl().replace(/\/$/, "")}/webhooks/digiflazz`;
  /** create events held back by reorder_webhooks, sent after the update */
  const heldCreates = new Map<string, () => Promise<void>>();

  const sendWebhook = async (tx: SimTransaction, event: "create" | "update") => {
    const faults = state.callbackFaults;
    const body = JSON.stringify({ data: view(tx) }); // serialised once: the signature covers exactly these bytes
    const secret = faults.bad_signature ? "not-the-webhook-secret" : state.config.webhook_secret;
    const headers = {
      "content-type": "application/json",
      "user-agent": tx.kind === "prepaid" ? "Digiflazz-Hookshot" : "Digiflazz-Pasca-Hookshot",
      "x-digiflazz-event": event,
      "x-hub-signature": `sha1=${hmacHex("sha1", secret, body)}`,
    };
    const url = webhookTarget(tx);
    if (faults.drop_webhook) {
      state.deliveries.push({ id: state.deliveries.length + 1, url, headers, body, attempts: [], accepted: false, dropped: true } as never);
      return;
    }
    const copies = faults.duplicate_webhook ? 2 : 1;
    for (let i = 0; i < copies; i += 1) {
      await deliverCallback(state, {
        url,
        headers,
        body,
        isAccepted: (status) => status >= 200 && status < 300,
        retries: state.config.webhook_retries,
        retryIntervalMs: state.config.webhook_retry_interval_ms,
      });
    }
  };

  const announceCreate = (tx: SimTransaction) => {
    const send = () => sendWebhook(tx, "create");
    if (state.callbackFaults.reorder_webhooks && tx.status === "Pending") return void heldCreates.set(tx.ref_id, send);
    later(0, send);
  };

  /** Pending → final: refund on Gagal, a fresh SN on Sukses, then the update webhook (and a held create after it). */
  const resolve = async (tx: SimTransaction, status: "Sukses" | "Gagal", rc = status === "Sukses" ? "00" : "02") => {
    if (tx.status !== "Pending") return false;
    tx.status = status;
    tx.rc = rc;
    tx.message = MESSAGES[rc] ?? (status === "Sukses" ? "Transaksi Sukses" : "Transaksi Gagal");
    tx.sn = status === "Sukses" ? serialNumber() : "";
    tx.updated_at = now();
    if (status === "Gagal" && tx.debited) {
      deposit += tx.price;
      tx.debited = false;
    }
    await sendWebhook(tx, "update");
    const held = heldCreates.get(tx.ref_id);
    if (held) {
      heldCreates.delete(tx.ref_id);
      await held();
    }
    return true;
  };

  const store = (fields: Omit<SimTransaction, "requests" | "created_at" | "updated_at" | "debited" | "sn"> & { sn?: string }) => {
    const tx: SimTransaction = { sn: "", ...fields, debited: false, requests: 1, created_at: now(), updated_at: now() };
    if (tx.status !== "Gagal" && tx.stage === "payment") {
      deposit -= tx.price;
      tx.debited = true;
    }
    transactions.set(tx.ref_id, tx);
    return tx;
  };

  // --- the API ---------------------------------------------------------------
  const api = express.Router();
  api.use(express.json({ limit: "100kb" }));

  api.post("/cek-saldo", withFaults(state, "cek-saldo"), (req, res) => {
    if (!authenticate(req, res, () => "depo")) return;
    reply(res, { deposit });
  });

  api.post("/deposit", withFaults(state, "deposit"), (req, res) => {
    if (!authenticate(req, res, () => "deposit")) return;
    const body = req.body as Record<string, unknown>;
    const amount = Number(body.amount);
    if (!Number.isSafeInteger(amount) || amount < 10_000 || typeof (body.bank ?? body.Bank) !== "string") return refuse(res, "40");
    const bank = String(body.bank ?? body.Bank);
    reply(res, {
      rc: "00",
      bank,
      payment_method: ["BCA", "MANDIRI", "BRI", "BNI"].includes(bank.toUpperCase()) ? "Bank Transfer" : "Virtual Account",
      account_no: "0123 4567 89",
      notes: Math.random().toString(36).slice(2, 9).toUpperCase(),
      amount: amount + randomInt(1, 1000),
    });
  });

  api.post("/price-list", withFaults(state, "price-list"), (req, res) => {
    if (!authenticate(req, res, () => "pricelist")) return;
    const body = req.body as Record<string, unknown>;
    if (body.cmd !== "prepaid" && body.cmd !== "pasca") return refuse(res, "40");
    const filtered = typeof body.code === "string";
    const t = Date.now();
    if (filtered ? t - lastCodeLookup < state.config.pricelist_code_window_ms : t - lastFullList < state.config.pricelist_window_ms) {
      return reply(res, { rc: "83", message: MESSAGES["83"] });
    }
    if (filtered) lastCodeLookup = t;
    else lastFullList = t;
    const items: (PrepaidProduct | PostpaidProduct)[] = body.cmd === "prepaid" ? [...prepaid.values()] : [...postpaid.values()];
    const matches = items.filter(
      (item) =>
        (!filtered || item.buyer_sku_code === body.code) &&
        (typeof body.category !== "string" || item.category.toLowerCase() === body.category.toLowerCase()) &&
        (typeof body.brand !== "string" || item.brand.toLowerCase() === body.brand.toLowerCase()) &&
        (typeof body.type !== "string" || ("type" in item && item.type.toLowerCase() === body.type.toLowerCase())),
    );
    res.json({ data: matches });
  });

  api.post("/inquiry-pln", withFaults(state, "inquiry-pln"), (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (!authenticate(req, res, (b) => String(b.customer_no ?? ""))) return;
    const number = String(body.customer_no ?? "");
    if (!/^\d{11,12}$/.test(number)) return refuse(res, "57", 200, { customer_no: number });
    reply(res, {
      message: "Transaksi Sukses",
      status: "Sukses",
      rc: "00",
      customer_no: number,
      meter_no: number.padStart(11, "0"),
      subscriber_id: `5${number.slice(-11)}`,
      name: "PELANGGAN SIMULASI",
      segment_power: "R1 /000001300",
    });
  });

  api.post("/transaction", withFaults(state, "transaction"), (req, res) => {
    const body = req.body as Record<string, unknown>;
    const { buyer_sku_code: sku, customer_no: customerNo, ref_id: refId } = body;
    if (typeof sku !== "string" || typeof customerNo !== "string" || typeof refId !== "string" || refId === "") return refuse(res, "40");
    const mode = authenticate(req, res, () => refId);
    if (!mode) return;
    // the key must match the mode: a development key only with testing:true, the production key only without
    if ((body.testing === true) !== (mode === "dev")) return refuse(res, "41");
    const faults = (state.faults.transaction ?? {}) as TransactionFaults;
    const answer = (data: Record<string, unknown>) => (faults.succeed_then_timeout ? undefined : reply(res, data));
    const commands = typeof body.commands === "string" ? body.commands : null;

    const existing = transactions.get(refId);
    if (existing && commands !== "pay-pasca") {
      if (existing.buyer_sku_code !== sku || existing.customer_no !== customerNo) return refuse(res, "49");
      existing.requests += 1;
      return answer(view(existing)); // a re-check: the current state, never a second purchase
    }
    const cbUrl = typeof body.cb_url === "string" && body.cb_url !== "" ? body.cb_url : null;
    const testing = body.testing === true;

    if (commands === "inq-pasca" || commands === "pay-pasca" || commands === "status-pasca") {
      return postpaidCall(commands, { sku, customerNo, refId, cbUrl, testing, existing }, res, answer);
    }

    const product = prepaid.get(sku);
    if (!product || !product.buyer_product_status || !product.seller_product_status) return refuse(res, "43");
    if (!product.unlimited_stock && product.stock <= 0) return refuse(res, "68");
    const script = prepaidScript(customerNo);
    if (script.kind === "refuse") return refuse(res, script.rc);
    const maxPrice = body.max_price === undefined ? null : Number(body.max_price);
    if (maxPrice !== null && Number.isFinite(maxPrice) && product.price > maxPrice) return refuse(res, "69");
    if (deposit < product.price) return refuse(res, "44");

    const base = { ref_id: refId, customer_no: customerNo, buyer_sku_code: sku, kind: "prepaid" as const, stage: "payment" as const, price: product.price, testing, cb_url: cbUrl };
    let tx: SimTransaction;
    if (script.kind === "success") tx = store({ ...base, status: "Sukses", rc: "00", message: MESSAGES["00"], sn: script.sn ?? serialNumber() });
    else if (script.kind === "fail") tx = store({ ...base, status: "Gagal", rc: script.rc, message: MESSAGES[script.rc] ?? "Transaksi Gagal" });
    else {
      tx = store({ ...base, status: "Pending", rc: script.rc, message: MESSAGES[script.rc] ?? "Transaksi Pending" });
      const then = script.then;
      later(state.config.pending_delay_ms, () => resolve(tx, then));
    }
    if (!product.unlimited_stock && tx.status !== "Gagal") product.stock -= 1;
    announceCreate(tx);
    answer(view(tx));
  });

  function postpaidCall(
    commands: "inq-pasca" | "pay-pasca" | "status-pasca",
    call: { sku: string; customerNo: string; refId: string; cbUrl: string | null; testing: boolean; existing?: SimTransaction },
    res: Response,
    answer: (data: Record<string, unknown>) => void,
  ) {
    const { existing } = call;
    if (commands === "status-pasca") return refuse(res, "50", 200);
    const product = postpaid.get(call.sku);
    if (!product || !product.buyer_product_status || !product.seller_product_status) return refuse(res, "43");
    const script = postpaidScript(call.customerNo);
    const bills = billCount(call.customerNo);
    const bill = 100_000 + (Number(call.customerNo.slice(-3)) % 100) * 1_000;
    const admin = product.admin * bills;
    if (commands === "inq-pasca") {
      if (script === "inquiry_fail") return refuse(res, "60", 200, { ref_id: call.refId, customer_no: call.customerNo, buyer_sku_code: call.sku });
      const tx = store({
        ref_id: call.refId, customer_no: call.customerNo, buyer_sku_code: call.sku, kind: "postpaid", stage: "inquiry",
        status: "Sukses", rc: "00", message: MESSAGES["00"], price: bill * bills + admin, admin, customer_name: "PELANGGAN SIMULASI",
        testing: call.testing, cb_url: call.cbUrl,
      });
      return answer({ ...view(tx), selling_price: tx.price + 1_000, periode: "202401", desc: { lembar_tagihan: bills, detail: [] } });
    }
    // pay-pasca: the same ref_id as the inquiry
    if (!existing) return refuse(res, "50", 200);
    if (existing.buyer_sku_code !== call.sku || existing.customer_no !== call.customerNo) return refuse(res, "49");
    existing.requests += 1;
    if (existing.stage === "payment") return answer(view(existing));
    if (deposit < existing.price) return refuse(res, "44");
    existing.stage = "payment";
    existing.updated_at = now();
    if (script === "pay_fail") {
      Object.assign(existing, { status: "Gagal", rc: "02", message: MESSAGES["02"] });
    } else {
      deposit -= existing.price;
      existing.debited = true;
      if (script === "success") Object.assign(existing, { status: "Sukses", rc: "00", message: MESSAGES["00"], sn: serialNumber() });
      else {
        Object.assign(existing, { status: "Pending", rc: "03", message: MESSAGES["03"] });
        later(state.config.pending_delay_ms, () => resolve(existing, script === "pending_success" ? "Sukses" : "Gagal"));
      }
    }
    announceCreate(existing);
    answer(view(existing));
  }

  api.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    logger?.debug("digiflazz simulator: bad request", { error: error.message });
    refuse(res, "40", error.status && error.status < 500 ? error.status : 400);
  });

  // --- control -----------------------------------------------------------------
  const control = controlRouter(state, () => {
    Object.assign(state.config, initialConfig);
    transactions = new Map();
    prepaid = new Map(prepaidFixture().map((p) => [p.buyer_sku_code, p]));
    postpaid = new Map(postpaidFixture().map((p) => [p.buyer_sku_code, p]));
    heldCreates.clear();
    deposit = state.config.initial_deposit;
    lastFullList = 0;
    lastCodeLookup = 0;
  });
  control.get("/transactions", (_req, res) => res.json({ transactions: [...transactions.values()], deposit }));
  control.get("/webhooks", (_req, res) => res.json(state.deliveries));
  control.post("/transactions/:refId/resolve", async (req, res) => {
    const tx = transactions.get(String(req.params.refId));
    const status = (req.body as { status?: string }).status;
    if (!tx) return void res.status(404).json({ error: "no such ref_id" });
    if (status !== "Sukses" && status !== "Gagal") return void res.status(400).json({ error: 'status must be "Sukses" or "Gagal"' });
    if (!(await resolve(tx, status))) return void res.status(409).json({ error: `already ${tx.status}` });
    res.json({ transaction: tx });
  });
  control.post("/deposit", (req, res) => {
    const value = Number((req.body as { deposit?: unknown }).deposit);
    if (!Number.isSafeInteger(value)) return void res.status(400).json({ error: "deposit must be an integer" });
    deposit = value;
    res.json({ deposit });
  });
  /** Changes a product (price, statuses, stock) — for the price-list sync tests. */
  control.post("/products/:sku", (req, res) => {
    const product = prepaid.get(String(req.params.sku)) ?? postpaid.get(String(req.params.sku));
    if (!product) return void res.status(404).json({ error: "no such buyer_sku_code" });
    const allowed = ["price", "admin", "commission", "product_name", "buyer_product_status", "seller_product_status", "stock", "unlimited_stock", "multi", "desc"];
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      if (allowed.includes(key) && key in product) (product as unknown as Record<string, unknown>)[key] = value;
    }
    res.json({ product });
  });
  for (const [action, active] of [["disable", false], ["enable", true]] as const) {
    control.post(`/products/:sku/${action}`, (req, res) => {
      const product = prepaid.get(String(req.params.sku)) ?? postpaid.get(String(req.params.sku));
      if (!product) return void res.status(404).json({ error: "no such buyer_sku_code" });
      product.seller_product_status = active;
      res.json({ product });
    });
  }

  const router = express.Router();
  router.use("/__sim", control);
  router.use("/v1", api);
  return { name: "digiflazz", router, state };
}
