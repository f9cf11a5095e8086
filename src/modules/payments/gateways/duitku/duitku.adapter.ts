import { postJson, type HttpAnswer } from "../../../../core/http-client";
import { forcePayInSimulator, headerValue, itemLinesForAmount, signedFieldsCallback, toWib, unverifiedCallback, wholeRupiah } from "../adapter-kit";
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
import type { DuitkuConfig } from "./duitku.config";
import { duitkuCallbackSignature, duitkuInquirySignature, duitkuPaymentMethodsSignature, duitkuStatusSignature } from "./duitku.signature";

/**
 * Duitku API v2 (../shared/providers/duitku.md). The channel is Duitku's payment
 * method code, two capitals or digits: BC, M2, I1, BR, BT, B1, A1, ... (VA → vaNumber),
 * IR, FT (retail → paymentCode), SP, NQ, LQ, GQ (QRIS → qrString), OV, DA, SA, LA, ...
 * (e-wallets → payUrl). Codes are per project: list them with paymentMethods(amount).
 * Duitku has no refund API.
 */
const RETAIL_METHODS = new Set(["IR", "FT"]);

/** A refusal or an unreadable answer from Duitku (message safe to log; never contains the key). */
export class DuitkuError extends Error {}

export interface DuitkuPaymentMethod {
  code: string;
  name: string;
  imageUrl: string;
  /** Duitku's fee for this amount, whole rupiah. */
  fee: number;
}

type Body = Record<string, unknown>;

export class DuitkuAdapter implements PaymentGateway {
  readonly code = "DUITKU" as const;

  constructor(private readonly config: DuitkuConfig) {}

  async createCharge(request: ChargeRequest): Promise<ChargeResult> {
    if (!/^[A-Z0-9]{2}$/.test(request.channel)) throw new DuitkuError(`Duitku: "${request.channel}" is not a payment method code (e.g. BC, SP, IR)`);
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new DuitkuError("Duitku: amount must be a positive whole number of rupiah");
    const { merchantCode, apiKey } = this.config;
    const expiryPeriod = Math.max(1, Math.ceil((request.expiresAt.getTime() - Date.now()) / 60_000));
    const lines = itemLinesForAmount(request);
    const body = {
      merchantCode,
      paymentAmount: request.amount,
      paymentMethod: request.channel,
      merchantOrderId: request.reference,
      productDetails: lines.map((line) => line.name).join(", ").slice(0, 255),
      email: request.customer.email,
      ...(request.customer.phone ? { phoneNumber: request.customer.phone } : {}),
      customerVaName: request.customer.name.slice(0, 20),
      // Duitku's item price is the line total.
      itemDetails: lines.map((line) => ({ name: line.name.slice(0, 50), price: line.price * line.quantity, quantity: line.quantity })),
      customerDetail: { firstName: request.customer.name.slice(0, 50), email: request.customer.email, ...(request.customer.phone ? { phoneNumber: request.customer.phone } : {}) },
      callbackUrl: request.callbackUrl,
      returnUrl: request.returnUrl ?? request.callbackUrl,
      expiryPeriod,
      signature: duitkuInquirySignature(merchantCode, request.reference, request.amount, apiKey),
    };
    const data = this.envelope(await this.post("/v2/inquiry", body), "create the charge");
    if (data.code !== "00") throw new DuitkuError(`Duitku: could not create the charge: ${data.code} ${data.message}`);
    const amountToPay = data.body.amount === undefined ? request.amount : wholeRupiah(data.body.amount);
    if (amountToPay === null) throw new DuitkuError(`Duitku: charge answer has an unreadable amount "${String(data.body.amount)}"`);
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
    const code = text(data.body.vaNumber);
    return {
      gatewayReference: String(data.body.reference),
      amountToPay,
      payUrl: text(data.body.paymentUrl),
      vaNumber: RETAIL_METHODS.has(request.channel) ? undefined : code,
      paymentCode: RETAIL_METHODS.has(request.channel) ? code : undefined,
      qrString: text(data.body.qrString),
      expiresAt: new Date(Date.now() + expiryPeriod * 60_000),
      raw: data.body,
    };
  }

  /**
   * Reads the form-urlencoded callback (a JSON body is read too; the signature
   * decides either way). Only resultCode "00" is PAID; anything else is PENDING:
   * it changes nothing and the status API is asked.
   */
  parseCallback(request: CallbackRequest): ParsedCallback {
    const fields = readFields(request);
    if (!fields) return unverifiedCallback("body is neither a form nor a JSON object");
    const { merchantCode, amount, merchantOrderId, signature, reference, resultCode } = fields;
    const known: Partial<ParsedCallback> = {
      reference: merchantOrderId ?? null,
      gatewayReference: reference ?? null,
      eventKey: `${reference ?? ""}:${resultCode ?? ""}`,
    };
    if (merchantCode === undefined || amount === undefined || merchantOrderId === undefined || signature === undefined) {
      return unverifiedCallback("merchantCode, amount, merchantOrderId and signature are required", known);
    }
    if (merchantCode !== this.config.merchantCode) return unverifiedCallback(`merchantCode "${merchantCode}" is not this store's`, known);
    // Only "00" is paid; resultCode is not signed, so the status check confirms it.
    return signedFieldsCallback({
      received: signature,
      expected: duitkuCallbackSignature(merchantCode, amount, merchantOrderId, this.config.apiKey),
      formula: "merchantCode + amount + merchantOrderId",
      amount,
      reference: merchantOrderId,
      gatewayReference: known.gatewayReference ?? null,
      eventKey: known.eventKey!,
      status: resultCode === "00" ? "PAID" : "PENDING",
    });
  }

  answer(outcome: "accepted" | "rejected"): CallbackAnswer {
    return outcome === "accepted" ? { status: 200, body: { status: "OK" } } : { status: 400, body: { status: "Bad Signature" } };
  }

  async queryStatus(payment: { reference: string; gatewayReference: string | null }): Promise<StatusResult> {
    const { merchantCode, apiKey } = this.config;
    const answer = await this.post("/transactionStatus", {
      merchantCode,
      merchantOrderId: payment.reference,
      signature: duitkuStatusSignature(merchantCode, payment.reference, apiKey),
    });
    const { code, message, body } = this.envelope(answer, "read the status");
    const status: GatewayPaymentStatus | undefined =
      code === "00" ? "PAID" : code === "01" ? "PENDING" : code === "02" ? (/expire/i.test(message) ? "EXPIRED" : "FAILED") : undefined;
    if (!status) throw new DuitkuError(`Duitku: could not read the status: ${code} ${message} (HTTP ${answer.status})`);
    return {
      status,
      amountPaid: status === "PAID" ? wholeRupiah(body.amount) : null,
      gatewayReference: typeof body.reference === "string" && body.reference !== "" ? body.reference : payment.gatewayReference,
      raw: body,
    };
  }

  /** The methods this project may use for an amount, with Duitku's fee (drive the method list from this). */
  async paymentMethods(amount: number, at = new Date()): Promise<DuitkuPaymentMethod[]> {
    const { merchantCode, apiKey } = this.config;
    const datetime = toWib(at);
    const answer = await this.post("/paymentmethod/getpaymentmethod", {
      merchantCode,
      amount,
      datetime,
      signature: duitkuPaymentMethodsSignature(merchantCode, amount, datetime, apiKey),
    });
    const { code, message, body } = this.envelope(answer, "list payment methods");
    if (code !== "00" || !Array.isArray(body.paymentFee)) throw new DuitkuError(`Duitku: could not list payment methods: ${code} ${message}`);
    return (body.paymentFee as Body[]).map((method) => ({
      code: String(method.paymentMethod),
      name: String(method.paymentName),
      imageUrl: String(method.paymentImage ?? ""),
      fee: wholeRupiah(method.totalFee) ?? 0,
    }));
  }

  private post(path: string, body: unknown): Promise<HttpAnswer> {
    return postJson(`${this.config.baseUrl}${path}`, body, {}, this.config.timeoutMs);
  }

  /**
   * Duitku answers with statusCode/statusMessage (docs) or responseCode/responseDesc
   * (seen in the sandbox): accept either. Refusals may be plain text with a 4xx.
   */
  private envelope(answer: HttpAnswer, what: string): { code: string; message: string; body: Body } {
    const body = answer.json as Body | undefined;
    const code = body && typeof body === "object" ? (body.statusCode ?? body.responseCode) : undefined;
    if (typeof code !== "string") {
      const detail = body && typeof body === "object" && typeof body.Message === "string" ? body.Message : answer.text.slice(0, 200);
      const hint = answer.status === 401 ? " (check DUITKU_MERCHANT_CODE and DUITKU_API_KEY)" : "";
      throw new DuitkuError(`Duitku: could not ${what}: HTTP ${answer.status} ${detail || "unreadable answer"}${hint}`);
    }
    return { code, message: String(body!.statusMessage ?? body!.responseDesc ?? ""), body: body! };
  }
}

/** The callback's fields as strings, from a form body (what Duitku sends) or a JSON object. */
function readFields(request: CallbackRequest): Record<string, string | undefined> | null {
  const text = request.rawBody.toString("utf8");
  const contentType = headerValue(request.headers, "content-type") ?? "";
  if (contentType.includes("json") || text.trimStart().startsWith("{")) {
    try {
      const json = JSON.parse(text) as unknown;
      if (!json || typeof json !== "object" || Array.isArray(json)) return null;
      return Object.fromEntries(
        Object.entries(json).map(([key, value]) => [key, typeof value === "string" || typeof value === "number" ? String(value) : undefined]),
      );
    } catch {
      return null;
    }
  }
  const form = new URLSearchParams(text);
  return form.has("merchantOrderId") || form.has("signature") ? Object.fromEntries(form.entries()) : null;
}

/**
 * Sandbox only: asks the Duitku simulator to pay a charge now (for the simulatePayment
 * mutation): POST <sandboxUrl>/duitku/__sim/transactions/<merchantOrderId>/pay.
 */
export function duitkuSandboxPayer(sandboxUrl: string) {
  return (payment: { reference: string }) => forcePayInSimulator(`${sandboxUrl}/duitku/__sim/transactions/${encodeURIComponent(payment.reference)}/pay`);
}
