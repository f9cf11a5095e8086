import { httpRequest, type HttpAnswer } from "../../../../core/http-client";
import { forcePayInSimulator, fromWib, itemLinesForAmount, signedFieldsCallback, toWib, unverifiedCallback, wholeRupiah } from "../adapter-kit";
import type {
  CallbackAnswer,
  CallbackRequest,
  ChargeRequest,
  ChargeResult,
  GatewayPaymentStatus,
  ParsedCallback,
  PaymentGateway,
  RefundResult,
  StatusResult,
} from "../payment-gateway";
import type { MidtransConfig } from "./midtrans.config";
import { midtransAuthorization, midtransSignature } from "./midtrans.signature";

/**
 * Midtrans Core API (../shared/providers/midtrans.md). Channels this adapter accepts:
 *   bank_transfer:bca | bank_transfer:bni | bank_transfer:bri | bank_transfer:cimb | bank_transfer:permata
 *   echannel (Mandiri Bill: vaNumber = bill_key, paymentCode = biller_code)
 *   qris | qris:gopay | qris:shopeepay (the QRIS acquirer)
 *   gopay | shopeepay (payUrl = the app deeplink; the GoPay QR image URL stays in raw.actions)
 *   cstore:indomaret | cstore:alfamart (paymentCode)
 *   credit_card:<token_id> (token from GET /v2/token with the client key; payUrl = the 3-D Secure page)
 */
export const MIDTRANS_CHANNELS = [
  "bank_transfer:bca",
  "bank_transfer:bni",
  "bank_transfer:bri",
  "bank_transfer:cimb",
  "bank_transfer:permata",
  "echannel",
  "qris",
  "qris:gopay",
  "qris:shopeepay",
  "gopay",
  "shopeepay",
  "cstore:indomaret",
  "cstore:alfamart",
  "credit_card:<token_id>",
] as const;

/** A refusal or an unreadable answer from Midtrans (message safe to log; never contains the key). */
export class MidtransError extends Error {
  constructor(
    message: string,
    readonly statusCode?: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

export class MidtransAdapter implements PaymentGateway {
  readonly code = "MIDTRANS" as const;

  constructor(private readonly config: MidtransConfig) {}

  async createCharge(request: ChargeRequest): Promise<ChargeResult> {
    const body = { ...this.paymentTypeMembers(request), ...this.commonMembers(request) };
    // The notification goes to this charge's callback URL instead of the dashboard's.
    const answer = await this.call("POST", "/v2/charge", body, { "x-override-notification": request.callbackUrl });
    const data = this.bodyOf(answer, "create the charge", ["200", "201"]);
    const amountToPay = wholeRupiah(data.gross_amount);
    if (amountToPay === null) throw new MidtransError(`Midtrans: charge answer has an unreadable gross_amount "${String(data.gross_amount)}"`);
    const action = (name: string) => (Array.isArray(data.actions) ? (data.actions as Body[]) : []).find((a) => a.name === name)?.url as string | undefined;
    const vaNumbers = Array.isArray(data.va_numbers) ? (data.va_numbers as Body[]) : [];
    const result: ChargeResult = {
      gatewayReference: String(data.transaction_id),
      amountToPay,
      expiresAt: fromWib(data.expiry_time),
      raw: data,
    };
    if (typeof vaNumbers[0]?.va_number === "string") result.vaNumber = vaNumbers[0].va_number;
    if (typeof data.permata_va_number === "string") result.vaNumber = data.permata_va_number;
    if (typeof data.bill_key === "string") {
      result.vaNumber = data.bill_key;
      result.paymentCode = String(data.biller_code);
    }
    if (typeof data.payment_code === "string") result.paymentCode = data.payment_code;
    if (typeof data.qr_string === "string") result.qrString = data.qr_string;
    const payUrl = action("deeplink-redirect") ?? action("generate-qr-code") ?? (data.redirect_url as string | undefined);
    if (payUrl) result.payUrl = payUrl;
    return result;
  }

  parseCallback(request: CallbackRequest): ParsedCallback {
    let body: Body;
    try {
      body = JSON.parse(request.rawBody.toString("utf8")) as Body;
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
    } catch {
      return unverifiedCallback("body is not a JSON object");
    }
    const { order_id: orderId, status_code: statusCode, gross_amount: grossAmount, signature_key: signature } = body;
    const known: Partial<ParsedCallback> = {
      reference: typeof orderId === "string" ? orderId : null,
      gatewayReference: typeof body.transaction_id === "string" ? body.transaction_id : null,
      eventKey: `${String(body.transaction_id)}:${String(body.transaction_status)}`,
    };
    // The signature covers the strings exactly as received; anything else cannot be verified.
    if (typeof orderId !== "string" || typeof statusCode !== "string" || typeof grossAmount !== "string" || typeof signature !== "string") {
      return unverifiedCallback("order_id, status_code, gross_amount and signature_key must be strings", known);
    }
    // transaction_status and fraud_status are not signed: the status check confirms them (midtrans.md §4).
    return signedFieldsCallback({
      received: signature,
      expected: midtransSignature(orderId, statusCode, grossAmount, this.config.serverKey),
      formula: "order_id + status_code + gross_amount",
      amount: grossAmount,
      reference: orderId,
      gatewayReference: known.gatewayReference ?? null,
      eventKey: known.eventKey!,
      status: mapStatus(body),
    });
  }

  answer(outcome: "accepted" | "rejected"): CallbackAnswer {
    // 2xx stops Midtrans' retries; a 400 is retried twice, enough to survive a key being rotated.
    return outcome === "accepted" ? { status: 200, body: { status: "ok" } } : { status: 400, body: { status: "invalid signature" } };
  }

  async queryStatus(payment: { reference: string; gatewayReference: string | null }): Promise<StatusResult> {
    const answer = await this.call("GET", `/v2/${encodeURIComponent(payment.reference)}/status`);
    const data = this.readBody(answer, "read the status");
    // HTTP 200 with body status_code "404": Midtrans never got this charge; it is still unpaid as far as anyone knows.
    if (data.status_code === "404") return { status: "PENDING", amountPaid: null, gatewayReference: null, raw: data };
    this.refuseErrors(data, answer, "read the status", ["200", "201", "202", "407"]);
    return this.statusOf(data);
  }

  /** Cancels a pending charge (e.g. the buyer switched method). */
  cancel(reference: string): Promise<StatusResult> {
    return this.changeState(reference, "cancel");
  }

  /** Expires a pending charge now. */
  expire(reference: string): Promise<StatusResult> {
    return this.changeState(reference, "expire");
  }

  /**
   * Refunds a settled charge (card, GoPay, ShopeePay, QRIS and a few more; not VA or
   * stores). The refund_key is derived from the payment and amount, so a retry of the
   * same refund is safe at Midtrans.
   */
  async refund(payment: { reference: string; gatewayReference: string | null }, amount: number, reason: string): Promise<RefundResult> {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new MidtransError("Midtrans: refund amount must be a positive whole number of rupiah");
    const refundKey = `${payment.reference}-R${amount}`.slice(-50);
    const answer = await this.call("POST", `/v2/${encodeURIComponent(payment.reference)}/refund`, { refund_key: refundKey, amount, reason: reason.slice(0, 255) });
    const data = this.bodyOf(answer, "refund", ["200"]);
    const refunded = data.transaction_status === "refund" || data.transaction_status === "partial_refund";
    return { refunded, refundReference: String(data.refund_key ?? refundKey), raw: data };
  }

  private async changeState(reference: string, action: "cancel" | "expire"): Promise<StatusResult> {
    const answer = await this.call("POST", `/v2/${encodeURIComponent(reference)}/${action}`);
    return this.statusOf(this.bodyOf(answer, action, ["200", "407"]));
  }

  private statusOf(data: Body): StatusResult {
    const status = mapStatus(data);
    return {
      status,
      amountPaid: status === "PAID" || status === "REFUNDED" ? wholeRupiah(data.gross_amount) : null,
      gatewayReference: typeof data.transaction_id === "string" ? data.transaction_id : null,
      raw: data,
    };
  }

  private paymentTypeMembers(request: ChargeRequest): Body {
    const [type, option] = request.channel.split(":");
    const returnUrl = request.returnUrl ? { callback_url: request.returnUrl } : {};
    switch (type) {
      case "bank_transfer":
        if (["bca", "bni", "bri", "cimb", "permata"].includes(option)) return { payment_type: "bank_transfer", bank_transfer: { bank: option } };
        break;
      case "echannel":
        if (option === undefined) return { payment_type: "echannel", echannel: { bill_info1: "Payment:", bill_info2: request.reference.slice(0, 18) } };
        break;
      case "qris":
        if (option === undefined || option === "gopay") return { payment_type: "qris", qris: { acquirer: "gopay" } };
        if (option === "shopeepay") return { payment_type: "qris", qris: { acquirer: "airpay shopee" } };
        break;
      case "gopay":
        if (option === undefined) return { payment_type: "gopay", gopay: { enable_callback: Boolean(request.returnUrl), ...returnUrl } };
        break;
      case "shopeepay":
        if (option === undefined) return { payment_type: "shopeepay", shopeepay: { ...returnUrl } };
        break;
      case "credit_card":
        if (option) return { payment_type: "credit_card", credit_card: { token_id: request.channel.slice("credit_card:".length), authentication: true } };
        break;
      case "cstore":
        if (option === "indomaret" || option === "alfamart") return { payment_type: "cstore", cstore: { store: option, message: "Lapak" } };
        break;
    }
    throw new MidtransError(`Midtrans: unsupported channel "${request.channel}" (use one of ${MIDTRANS_CHANNELS.join(", ")})`);
  }

  private commonMembers(request: ChargeRequest): Body {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new MidtransError("Midtrans: amount must be a positive whole number of rupiah");
    const now = new Date();
    const minutes = Math.max(1, Math.ceil((request.expiresAt.getTime() - now.getTime()) / 60_000));
    return {
      transaction_details: { order_id: request.reference, gross_amount: request.amount },
      item_details: itemLinesForAmount(request).map((item) => ({ id: item.sku.slice(0, 50), price: item.price, quantity: item.quantity, name: item.name.slice(0, 50) })),
      customer_details: { first_name: request.customer.name.slice(0, 255), email: request.customer.email, ...(request.customer.phone ? { phone: request.customer.phone } : {}) },
      custom_expiry: { order_time: `${toWib(now)} +0700`, expiry_duration: minutes, unit: "minute" },
    };
  }

  private call(method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return httpRequest(`${this.config.baseUrl}${path}`, {
      method,
      headers: { authorization: midtransAuthorization(this.config.serverKey), accept: "application/json", "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.config.timeoutMs,
    });
  }

  /** Midtrans' body decides, not the HTTP status: every answer carries status_code and status_message. */
  private bodyOf(answer: HttpAnswer, what: string, accepted: string[]): Body {
    const data = this.readBody(answer, what);
    this.refuseErrors(data, answer, what, accepted);
    return data;
  }

  private readBody(answer: HttpAnswer, what: string): Body {
    const data = answer.json as Body | undefined;
    if (!data || typeof data !== "object" || typeof data.status_code !== "string") {
      throw new MidtransError(`Midtrans: could not ${what}: unreadable answer (HTTP ${answer.status})`);
    }
    return data;
  }

  private refuseErrors(data: Body, answer: HttpAnswer, what: string, accepted: string[]): void {
    const statusCode = data.status_code as string;
    if (accepted.includes(statusCode)) return;
    const hint = statusCode === "401" ? " (check MIDTRANS_SERVER_KEY and that it matches MIDTRANS_BASE_URL's environment)" : "";
    throw new MidtransError(`Midtrans: could not ${what}: ${statusCode} ${String(data.status_message ?? "")}${hint} (HTTP ${answer.status})`, statusCode);
  }
}

/** midtrans.md §4: paid only on status_code 200 with settlement, or capture accepted by fraud detection. */
function mapStatus(data: Body): GatewayPaymentStatus {
  const fraud = data.fraud_status;
  switch (data.transaction_status) {
    case "settlement":
      return data.status_code === "200" ? "PAID" : "PENDING";
    case "capture":
      if (fraud === "deny") return "FAILED";
      return data.status_code === "200" && (fraud === undefined || fraud === "accept") ? "PAID" : "PENDING"; // challenge waits
    case "deny":
    case "cancel":
    case "failure":
      return "FAILED";
    case "expire":
      return "EXPIRED";
    case "refund":
    case "partial_refund":
    case "chargeback":
    case "partial_chargeback":
      return "REFUNDED";
    default:
      return "PENDING"; // pending, authorize, and anything new
  }
}

/**
 * Sandbox only: asks the Midtrans simulator to pay a charge now (for the simulatePayment
 * mutation): POST <sandboxUrl>/midtrans/__sim/transactions/<order_id>/pay.
 */
export function midtransSandboxPayer(sandboxUrl: string) {
  return (payment: { reference: string }) => forcePayInSimulator(`${sandboxUrl}/midtrans/__sim/transactions/${encodeURIComponent(payment.reference)}/pay`);
}
