import { safeEqual } from "../../../../core/crypto";
import { postJson, type HttpAnswer } from "../../../../core/http-client";
import type {
  CallbackAnswer,
  CallbackRequest,
  ChargeRequest,
  ChargeResult,
  GatewayPaymentStatus,
  ParsedCallback,
  PaymentGateway,
  StatusResult,
} from "../payment-gateway";
import type { TokopayConfig } from "./tokopay.config";
import { tokopayOrderSignature } from "./tokopay.signature";

/**
 * Tokopay (../shared/providers/tokopay.md): advanced order POST /v1/order.
 * Channels: the kode_channel codes listed in TOKOPAY_CHANNELS (e.g. QRIS,
 * QRISREALTIME, BRIVA, BCAVA, DANABALANCE). No refund API.
 *
 * The webhook signature covers only merchant_id:secret:reff_id, so a callback
 * is checked for source IP, merchant and signature here, and the payments
 * service must compare amountPaid (total_dibayar) with the stored amountToPay
 * (total_bayar) and confirm with queryStatus before crediting.
 */
export class TokopayAdapter implements PaymentGateway {
  readonly code = "TOKOPAY" as const;

  constructor(private readonly config: TokopayConfig) {}

  async createCharge(request: ChargeRequest): Promise<ChargeResult> {
    if (!this.config.channels.includes(request.channel)) {
      throw new Error(`Tokopay channel "${request.channel}" is not enabled (TOKOPAY_CHANNELS: ${this.config.channels.join(", ")})`);
    }
    const data = await this.order({
      kode_channel: request.channel,
      reff_id: request.reference,
      amount: request.amount,
      customer_name: request.customer.name,
      customer_email: request.customer.email,
      // Tokopay requires a phone; the store does not always have one
      customer_phone: request.customer.phone ?? "080000000000",
      redirect_url: request.returnUrl,
      expired_ts: Math.floor(request.expiresAt.getTime() / 1000),
      items: request.items.map((item) => ({ product_code: item.sku, name: item.name, price: item.price })),
    });
    const trxId = data.trx_id;
    const totalBayar = data.total_bayar;
    if (typeof trxId !== "string" || !Number.isSafeInteger(totalBayar)) {
      throw new Error("Tokopay order answer lacks trx_id or total_bayar");
    }
    return {
      gatewayReference: trxId,
      amountToPay: totalBayar as number,
      payUrl: str(data.checkout_url) ?? str(data.pay_url),
      qrString: str(data.qr_string),
      vaNumber: str(data.nomor_va),
      expiresAt: request.expiresAt,
      raw: data,
    };
  }

  parseCallback(request: CallbackRequest): ParsedCallback {
    const rejected = (reason: string, reference: string | null = null): ParsedCallback => ({
      verified: false,
      reason,
      reference,
      gatewayReference: null,
      eventKey: "",
      status: "PENDING",
      amountPaid: null,
      requiresStatusCheck: true,
    });
    const source = tokopaySourceIp(request);
    if (!this.config.allowedIps.includes(source)) return rejected(`source address ${source} is not in TOKOPAY_ALLOWED_IPS`);
    let body: TokopayWebhook;
    try {
      body = JSON.parse(request.rawBody.toString("utf8")) as TokopayWebhook;
    } catch {
      return rejected("body is not JSON");
    }
    if (!body || typeof body !== "object" || typeof body.reff_id !== "string" || typeof body.signature !== "string") {
      return rejected("body lacks reff_id or signature");
    }
    if (body.data?.merchant_id !== this.config.merchantId) return rejected("merchant_id is not ours", body.reff_id);
    const expected = tokopayOrderSignature(this.config.merchantId, this.config.secret, body.reff_id);
    if (!safeEqual(body.signature, expected)) return rejected("signature mismatch", body.reff_id);
    const status = mapTokopayStatus(body.status);
    const gatewayReference = typeof body.reference === "string" ? body.reference : null;
    const paid = body.data?.total_dibayar;
    return {
      verified: true,
      reference: body.reff_id,
      gatewayReference,
      eventKey: `${gatewayReference ?? body.reff_id}:${String(body.status)}`,
      status,
      amountPaid: Number.isSafeInteger(paid) ? (paid as number) : null,
      requiresStatusCheck: true,
    };
  }

  answer(outcome: "accepted" | "rejected"): CallbackAnswer {
    // Tokopay retries until it reads {"status": true}
    return outcome === "accepted" ? { status: 200, body: { status: true } } : { status: 401, body: { status: false, error_msg: "rejected" } };
  }

  /**
   * Sending an order with the same ref id again answers that order's state (no
   * second order). The real API may want amount and channel too: pass them when
   * known (the payment row carries them), they never change an existing order.
   */
  async queryStatus(payment: { reference: string; gatewayReference: string | null; amount?: number; channel?: string }): Promise<StatusResult> {
    const data = await this.order({ reff_id: payment.reference, amount: payment.amount, kode_channel: payment.channel });
    const status = readOrderStatus(data);
    const paid = Number.isSafeInteger(data.total_dibayar) ? data.total_dibayar : data.total_bayar;
    return {
      status,
      amountPaid: status === "PAID" && Number.isSafeInteger(paid) ? (paid as number) : null,
      gatewayReference: str(data.trx_id) ?? payment.gatewayReference,
      raw: data,
    };
  }

  /** POST /order signed with md5(merchant_id:secret:reff_id); returns `data` or throws a safe message. */
  private async order(fields: Record<string, unknown> & { reff_id: string }): Promise<Record<string, unknown>> {
    const body = {
      merchant_id: this.config.merchantId,
      ...fields,
      signature: tokopayOrderSignature(this.config.merchantId, this.config.secret, fields.reff_id),
    };
    const answer = await postJson(`${this.config.baseUrl}/order`, body, {}, this.config.timeoutMs);
    return readEnvelope(answer);
  }
}

interface TokopayWebhook {
  data?: { merchant_id?: unknown; total_dibayar?: unknown; total_diterima?: unknown };
  reference?: unknown;
  reff_id?: unknown;
  signature?: unknown;
  status?: unknown;
}

function readEnvelope(answer: HttpAnswer): Record<string, unknown> {
  const json = answer.json as { status?: unknown; data?: unknown; error_msg?: unknown } | undefined;
  if (!json || typeof json !== "object") throw new Error(`Tokopay answered HTTP ${answer.status} with a body that is not JSON`);
  if (String(json.status).toLowerCase() !== "success") {
    throw new Error(`Tokopay refused the request: ${typeof json.error_msg === "string" ? json.error_msg : `status ${String(json.status)}`}`);
  }
  if (!json.data || typeof json.data !== "object") throw new Error("Tokopay answer has no data");
  return json.data as Record<string, unknown>;
}

/** Webhook status: only "Success" means paid (Tokopay's own handler acts on nothing else). */
function mapTokopayStatus(value: unknown): GatewayPaymentStatus {
  const status = String(value).toLowerCase();
  if (status === "success") return "PAID";
  if (status === "expired") return "EXPIRED";
  if (status === "failed" || status === "fail" || status === "cancel" || status === "canceled") return "FAILED";
  return "PENDING";
}

const PAID_WORDS = ["paid", "success", "sukses", "settled", "completed", "lunas"];

/**
 * The status-check answer's paid field is undocumented (community code shows
 * "Paid"/"Unpaid", "PAID"/"UNPAID" or nothing): paid only when a field clearly
 * says so; no field at all means still unknown → PENDING.
 */
export function readOrderStatus(data: Record<string, unknown>): GatewayPaymentStatus {
  for (const field of ["status", "payment_status", "status_pembayaran"]) {
    const value = data[field];
    if (typeof value !== "string") continue;
    const word = value.trim().toLowerCase();
    if (PAID_WORDS.includes(word)) return "PAID";
    if (word === "expired" || word === "kadaluarsa") return "EXPIRED";
    if (word === "failed" || word === "gagal" || word === "canceled" || word === "cancel") return "FAILED";
  }
  return "PENDING";
}

/**
 * The address the webhook came from. X-Forwarded-For is honoured only when the
 * direct peer is loopback (a local reverse proxy, or the simulator), and then
 * its last entry — the one that proxy appended — is used.
 */
export function tokopaySourceIp(request: Pick<CallbackRequest, "ip" | "headers">): string {
  const peer = normaliseIp(request.ip);
  if (peer !== "127.0.0.1" && peer !== "::1") return peer;
  const header = request.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return forwarded.length > 0 ? normaliseIp(forwarded[forwarded.length - 1]!) : peer;
}

const normaliseIp = (ip: string) => (ip.startsWith("::ffff:") ? ip.slice(7) : ip);

const str = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);
