import { httpRequest, type HttpAnswer } from "../../../../core/http-client";
import { safeEqual } from "../../../../core/crypto";
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
import type { TripayConfig } from "./tripay.config";
import { tripayCallbackSignature, tripayCreateSignature } from "./tripay.signature";

/**
 * Tripay closed payments (../shared/providers/tripay.md). Channels are Tripay's
 * method codes: QRIS, QRIS2, QRISC, BCAVA, BNIVA, BRIVA, MANDIRIVA, PERMATAVA,
 * CIMBVA, BSIVA, ..., ALFAMART, INDOMARET, ALFAMIDI, OVO, DANA, SHOPEEPAY.
 */
export class TripayAdapter implements PaymentGateway {
  readonly code = "TRIPAY" as const;

  constructor(private readonly config: TripayConfig) {}

  async createCharge(request: ChargeRequest): Promise<ChargeResult> {
    const body = {
      method: request.channel,
      merchant_ref: request.reference,
      amount: request.amount,
      customer_name: request.customer.name,
      customer_email: request.customer.email,
      customer_phone: request.customer.phone ?? "",
      order_items: request.items.map((item) => ({ sku: item.sku, name: item.name, price: item.price, quantity: item.quantity })),
      callback_url: request.callbackUrl,
      return_url: request.returnUrl,
      expired_time: Math.floor(request.expiresAt.getTime() / 1000),
      signature: tripayCreateSignature(this.config.privateKey, this.config.merchantCode, request.reference, request.amount),
    };
    const data = this.dataOf(await this.call("/transaction/create", JSON.stringify(body)), "create the charge");
    return {
      gatewayReference: String(data.reference),
      amountToPay: Number(data.amount),
      payUrl: (data.pay_url as string | null) ?? (data.checkout_url as string | undefined) ?? undefined,
      vaNumber: isVa(request.channel) ? (data.pay_code as string | undefined) : undefined,
      paymentCode: !isVa(request.channel) ? ((data.pay_code as string | null) ?? undefined) : undefined,
      qrString: (data.qr_string as string | null) ?? undefined,
      expiresAt: typeof data.expired_time === "number" ? new Date(data.expired_time * 1000) : undefined,
      raw: data,
    };
  }

  parseCallback(request: CallbackRequest): ParsedCallback {
    const base: ParsedCallback = {
      verified: false,
      reference: null,
      gatewayReference: null,
      eventKey: "",
      status: "PENDING",
      amountPaid: null,
      requiresStatusCheck: false,
    };
    const event = header(request.headers, "x-callback-event");
    if (event !== "payment_status") return { ...base, reason: `unexpected X-Callback-Event "${event ?? ""}"` };
    const signature = header(request.headers, "x-callback-signature") ?? "";
    const expected = tripayCallbackSignature(this.config.privateKey, request.rawBody);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.rawBody.toString("utf8")) as Record<string, unknown>;
      if (!body || typeof body !== "object") throw new Error("not an object");
    } catch {
      return { ...base, reason: "body is not JSON" };
    }
    const parsed: ParsedCallback = {
      ...base,
      reference: typeof body.merchant_ref === "string" ? body.merchant_ref : null,
      gatewayReference: typeof body.reference === "string" ? body.reference : null,
      eventKey: `${String(body.reference)}:${String(body.status)}`,
      status: mapStatus(String(body.status)),
      amountPaid: Number.isSafeInteger(body.total_amount) ? (body.total_amount as number) : null,
    };
    if (!safeEqual(signature.toLowerCase(), expected)) return { ...parsed, reason: "signature does not match the body" };
    return { ...parsed, verified: true };
  }

  answer(outcome: "accepted" | "rejected"): CallbackAnswer {
    return outcome === "accepted"
      ? { status: 200, body: { success: true } }
      : { status: 400, body: { success: false, message: "Invalid signature" } };
  }

  async queryStatus(payment: { reference: string; gatewayReference: string | null }): Promise<StatusResult> {
    let data: Record<string, unknown>;
    if (payment.gatewayReference) {
      data = this.dataOf(await this.call(`/transaction/detail?reference=${encodeURIComponent(payment.gatewayReference)}`), "read the transaction");
    } else {
      const list = this.dataOf(
        await this.call(`/merchant/transactions?merchant_ref=${encodeURIComponent(payment.reference)}&per_page=1&sort=desc`),
        "list transactions",
      ) as unknown as Record<string, unknown>[];
      if (!Array.isArray(list) || list.length === 0) return { status: "PENDING", amountPaid: null, gatewayReference: null, raw: list };
      data = list[0];
    }
    const status = mapStatus(String(data.status));
    return {
      status,
      amountPaid: status === "PAID" || status === "REFUNDED" ? Number(data.amount) : null,
      gatewayReference: typeof data.reference === "string" ? data.reference : null,
      raw: data,
    };
  }

  private async call(path: string, body?: string): Promise<HttpAnswer> {
    return httpRequest(`${this.config.baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${this.config.apiKey}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body,
      timeoutMs: this.config.timeoutMs,
    });
  }

  /** Reads Tripay's envelope; the body decides, not the HTTP status. */
  private dataOf(answer: HttpAnswer, what: string): Record<string, unknown> {
    const json = answer.json as { success?: boolean; message?: string; data?: unknown } | undefined;
    if (!json || typeof json !== "object") {
      throw new Error(`Tripay: could not ${what}: unreadable answer (HTTP ${answer.status})`);
    }
    if (json.success !== true) {
      const hint = answer.status === 401 ? " (check TRIPAY_API_KEY)" : "";
      throw new Error(`Tripay: could not ${what}: ${json.message ?? "refused"}${hint} (HTTP ${answer.status})`);
    }
    if (json.data === undefined || json.data === null) throw new Error(`Tripay: could not ${what}: answer has no data`);
    return json.data as Record<string, unknown>;
  }
}

function mapStatus(status: string): GatewayPaymentStatus {
  switch (status) {
    case "PAID":
      return "PAID";
    case "EXPIRED":
      return "EXPIRED";
    case "FAILED":
      return "FAILED";
    case "REFUND":
      return "REFUNDED";
    default:
      return "PENDING"; // UNPAID and anything undocumented
  }
}

const isVa = (channel: string) => channel.endsWith("VA");

function header(headers: CallbackRequest["headers"], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
