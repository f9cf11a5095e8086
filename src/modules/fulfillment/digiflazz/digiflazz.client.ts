import { HttpTimeoutError, postJson, type HttpAnswer } from "../../../core/http-client";
import {
  SupplierError,
  type ParsedSupplierWebhook,
  type PurchaseRequest,
  type PurchaseResult,
  type Supplier,
  type SupplierProduct,
  type WebhookRequest,
} from "../supplier";
import { DIGIFLAZZ_CODES, decideOutcome } from "./digiflazz-codes";
import type { DigiflazzConfig } from "./digiflazz.config";
import { balanceSign, priceListSign, transactionSign, verifyWebhookSignature } from "./digiflazz.signature";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === "string" ? value : typeof value === "number" ? String(value) : null);
const bool = (value: unknown): boolean => value === true || value === 1 || value === "1" || value === "true";

/** Integer rupiah from a number or a numeric string (the docs show both); null when absent or unreadable. */
function rupiah(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number)) return null;
  const whole = Math.round(number);
  return Number.isSafeInteger(whole) ? whole : null;
}

function header(headers: WebhookRequest["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The Digiflazz buyer API (providers/digiflazz.md): balance, price list, prepaid purchase and re-check, webhooks. */
export class DigiflazzClient implements Supplier {
  readonly code = "DIGIFLAZZ";

  constructor(private readonly config: DigiflazzConfig) {}

  async purchase(request: PurchaseRequest): Promise<PurchaseResult> {
    const { username, apiKey } = this.config;
    const body: Json = {
      username,
      buyer_sku_code: request.sku,
      customer_no: request.customerNo,
      ref_id: request.refId,
      sign: transactionSign(username, apiKey, request.refId),
      max_price: request.maxPrice,
      cb_url: this.config.callbackUrl(),
    };
    if (this.config.testing) body.testing = true;
    let answer: HttpAnswer;
    try {
      answer = await postJson(`${this.config.baseUrl}/transaction`, body, {}, this.config.timeoutMs);
    } catch (error) {
      // The request may have reached Digiflazz: the same ref_id is re-sent later, which returns its state.
      const message = error instanceof HttpTimeoutError ? error.message : `network error: ${error instanceof Error ? error.message : String(error)}`;
      return { outcome: "RETRY", rc: null, sn: null, price: null, message, raw: { error: message } };
    }
    const data = isObject(answer.json) && isObject(answer.json.data) ? answer.json.data : null;
    if (!data) {
      const message = `unreadable answer (HTTP ${answer.status})`;
      return { outcome: "RETRY", rc: null, sn: null, price: null, message, raw: { status: answer.status, body: answer.text.slice(0, 500) } };
    }
    return this.readTransaction(data);
  }

  async balance(): Promise<number> {
    const data = await this.call("/cek-saldo", { cmd: "deposit", sign: balanceSign(this.config.username, this.config.apiKey) });
    if (!isObject(data)) throw new SupplierError("cek-saldo answered without data");
    const deposit = typeof data.deposit === "number" || typeof data.deposit === "string" ? Number(data.deposit) : NaN;
    if (!Number.isFinite(deposit)) throw new SupplierError("cek-saldo answered without a deposit");
    return Math.floor(deposit); // the deposit may be fractional; never overstate it
  }

  async priceList(options: { kind?: "prepaid" | "postpaid"; sku?: string; category?: string; brand?: string } = {}): Promise<SupplierProduct[]> {
    const kind = options.kind ?? "prepaid";
    const body: Json = { cmd: kind === "prepaid" ? "prepaid" : "pasca", sign: priceListSign(this.config.username, this.config.apiKey) };
    if (options.sku) body.code = options.sku;
    if (options.category) body.category = options.category;
    if (options.brand) body.brand = options.brand;
    const data = await this.call("/price-list", body);
    if (!Array.isArray(data)) throw new SupplierError("price-list answered without a list");
    return data.filter(isObject).map((item) => readProduct(item, kind));
  }

  parseWebhook(request: WebhookRequest): ParsedSupplierWebhook {
    const unverified = (reason: string): ParsedSupplierWebhook => ({ verified: false, reason, ping: false, event: null, refId: null, result: null });
    if (!verifyWebhookSignature(this.config.webhookSecret, request.rawBody, header(request.headers, "x-hub-signature"))) {
      return unverified("missing or wrong X-Hub-Signature");
    }
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString("utf8"));
    } catch {
      return unverified("body is not JSON");
    }
    const event = header(request.headers, "x-digiflazz-event") ?? null;
    if (event === "ping" || (isObject(body) && "hook_id" in body)) {
      return { verified: true, ping: true, event: event ?? "ping", refId: null, result: null };
    }
    const data = isObject(body) && isObject(body.data) ? body.data : null;
    if (!data || !str(data.ref_id)) return unverified("no data.ref_id in the body");
    return { verified: true, ping: false, event, refId: str(data.ref_id), result: this.readTransaction(data) };
  }

  private readTransaction(data: Json): PurchaseResult {
    const rc = str(data.rc);
    const outcome = decideOutcome(data.status, rc);
    const sn = str(data.sn);
    return {
      outcome,
      rc,
      sn: sn === "" ? null : sn,
      price: rupiah(data.price),
      message: str(data.message) ?? (rc ? DIGIFLAZZ_CODES[rc]?.message ?? `rc ${rc}` : "no message"),
      raw: data,
    };
  }

  /** A non-transaction call: returns `data`, or throws SupplierError naming the rc (body read whatever the HTTP status). */
  private async call(path: string, body: Json): Promise<unknown> {
    let answer: HttpAnswer;
    try {
      answer = await postJson(`${this.config.baseUrl}${path}`, { ...body, username: this.config.username }, {}, this.config.timeoutMs);
    } catch (error) {
      throw new SupplierError(`Digiflazz ${path}: ${error instanceof Error ? error.message : String(error)}`, null, true);
    }
    if (!isObject(answer.json) || !("data" in answer.json)) {
      throw new SupplierError(`Digiflazz ${path}: unreadable answer (HTTP ${answer.status})`, null, true);
    }
    const data = answer.json.data;
    if (isObject(data) && typeof data.rc === "string" && data.rc !== "00") {
      const info = DIGIFLAZZ_CODES[data.rc];
      throw new SupplierError(`Digiflazz ${path}: rc ${data.rc} ${str(data.message) ?? info?.message ?? ""}`.trim(), data.rc, info?.decision === "RETRY");
    }
    return data;
  }
}

function readProduct(item: Json, kind: "prepaid" | "postpaid"): SupplierProduct {
  const buyerActive = bool(item.buyer_product_status);
  const sellerActive = bool(item.seller_product_status);
  const unlimitedStock = kind === "postpaid" ? true : bool(item.unlimited_stock);
  const stock = rupiah(item.stock);
  return {
    sku: str(item.buyer_sku_code) ?? "",
    name: str(item.product_name) ?? "",
    category: str(item.category) ?? "",
    brand: str(item.brand) ?? "",
    type: str(item.type),
    sellerName: str(item.seller_name),
    price: (kind === "postpaid" ? rupiah(item.admin) : rupiah(item.price)) ?? 0,
    available: buyerActive && sellerActive && (unlimitedStock || (stock ?? 0) > 0),
    buyerActive,
    sellerActive,
    unlimitedStock,
    stock: unlimitedStock ? null : stock,
    multi: bool(item.multi),
    cutOffStart: str(item.start_cut_off),
    cutOffEnd: str(item.end_cut_off),
    description: str(item.desc) ?? "",
    kind,
  };
}
