import { httpRequest, postJson, type HttpAnswer } from "../../../../core/http-client";
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
import type { XenditConfig } from "./xendit.config";
import { xenditAuthorization, xenditTokenMatches } from "./xendit.signature";

/** Invoice fields Lapak reads (../shared/providers/xendit.md §2.2). */
export interface XenditInvoice {
  id: string;
  external_id: string;
  status: string;
  amount: number;
  paid_amount?: number;
  invoice_url?: string;
  expiry_date?: string;
  [field: string]: unknown;
}

/**
 * Xendit Invoices (hosted checkout). Channels: "INVOICE" (every method enabled
 * on the account) or one Xendit payment method code to restrict the page to,
 * e.g. "QRIS", "BCA", "BNI", "BRI", "MANDIRI", "PERMATA", "OVO", "DANA",
 * "SHOPEEPAY", "LINKAJA", "ALFAMART", "INDOMARET". No refund API for invoices.
 *
 * Callbacks carry only a static token (no signature over the body), so the
 * payments service must compare amountPaid (paid_amount) with amountToPay and
 * confirm with queryStatus before crediting.
 */
export class XenditAdapter implements PaymentGateway {
  readonly code = "XENDIT" as const;

  constructor(private readonly config: XenditConfig) {}

  /**
   * external_id is not unique at Xendit: a retry after a timeout would create a
   * second invoice, so a PENDING invoice with the same external_id and amount is
   * reused instead.
   */
  async createCharge(request: ChargeRequest): Promise<ChargeResult> {
    const existing = (await this.listInvoices(request.reference)).find(
      (invoice) => invoice.status === "PENDING" && invoice.amount === request.amount,
    );
    const invoice =
      existing ??
      (await this.call<XenditInvoice>("POST", "/v2/invoices", {
        external_id: request.reference,
        amount: request.amount,
        currency: "IDR",
        description: request.items.map((item) => item.name).join(", ").slice(0, 250) || request.reference,
        payer_email: request.customer.email,
        invoice_duration: Math.max(60, Math.ceil((request.expiresAt.getTime() - Date.now()) / 1000)),
        payment_methods: request.channel === "INVOICE" ? undefined : [request.channel],
        customer: { given_names: request.customer.name, email: request.customer.email, mobile_number: request.customer.phone },
        items: request.items.map((item) => ({ name: item.name, quantity: item.quantity, price: item.price })),
        success_redirect_url: request.returnUrl,
        failure_redirect_url: request.returnUrl,
      }));
    if (typeof invoice.id !== "string" || !Number.isSafeInteger(invoice.amount)) throw new Error("Xendit invoice answer lacks id or amount");
    return {
      gatewayReference: invoice.id,
      amountToPay: invoice.amount,
      payUrl: invoice.invoice_url,
      expiresAt: invoice.expiry_date ? new Date(invoice.expiry_date) : request.expiresAt,
      raw: invoice,
    };
  }

  parseCallback(request: CallbackRequest): ParsedCallback {
    const rejected = (reason: string): ParsedCallback => ({
      verified: false,
      reason,
      reference: null,
      gatewayReference: null,
      eventKey: "",
      status: "PENDING",
      amountPaid: null,
      requiresStatusCheck: true,
    });
    if (request.subPath !== "/invoice") return rejected(`no Xendit callback is served at ${request.subPath}`);
    if (!xenditTokenMatches(request.headers["x-callback-token"], this.config.callbackToken)) {
      return rejected("x-callback-token is missing or wrong");
    }
    let body: Partial<XenditInvoice>;
    try {
      body = JSON.parse(request.rawBody.toString("utf8")) as Partial<XenditInvoice>;
    } catch {
      return rejected("body is not JSON");
    }
    if (!body || typeof body.id !== "string" || typeof body.external_id !== "string" || typeof body.status !== "string") {
      return rejected("body lacks id, external_id or status");
    }
    return {
      verified: true,
      reference: body.external_id,
      gatewayReference: body.id,
      eventKey: `${body.id}:${body.status}`,
      status: mapXenditStatus(body.status),
      amountPaid: Number.isSafeInteger(body.paid_amount) ? (body.paid_amount as number) : null,
      requiresStatusCheck: true,
    };
  }

  answer(outcome: "accepted" | "rejected"): CallbackAnswer {
    return outcome === "accepted" ? { status: 200, body: { ok: true } } : { status: 401, body: { error: "invalid callback token" } };
  }

  /** By invoice id when known, otherwise the invoices listed for the external_id (a paid one wins). */
  async queryStatus(payment: { reference: string; gatewayReference: string | null }): Promise<StatusResult> {
    let invoice: XenditInvoice | undefined;
    if (payment.gatewayReference) {
      invoice = await this.getInvoice(payment.gatewayReference);
    } else {
      const invoices = await this.listInvoices(payment.reference);
      invoice = invoices.find((candidate) => mapXenditStatus(candidate.status) === "PAID") ?? invoices[0];
      if (!invoice) throw new Error(`Xendit has no invoice for external_id ${payment.reference}`);
    }
    const status = mapXenditStatus(invoice.status);
    return {
      status,
      amountPaid: status === "PAID" && Number.isSafeInteger(invoice.paid_amount) ? (invoice.paid_amount as number) : null,
      gatewayReference: invoice.id,
      raw: invoice,
    };
  }

  getInvoice(invoiceId: string): Promise<XenditInvoice> {
    return this.call<XenditInvoice>("GET", `/v2/invoices/${encodeURIComponent(invoiceId)}`);
  }

  listInvoices(externalId: string): Promise<XenditInvoice[]> {
    return this.call<XenditInvoice[]>("GET", `/v2/invoices?external_id=${encodeURIComponent(externalId)}&limit=50`);
  }

  /** Ends a PENDING invoice now (the buyer changed method, or the order was cancelled). */
  expireInvoice(invoiceId: string): Promise<XenditInvoice> {
    return this.call<XenditInvoice>("POST", `/invoices/${encodeURIComponent(invoiceId)}/expire!`, {});
  }

  /** One authenticated call; Xendit errors are `{error_code, message}` with a real HTTP status. */
  private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers = { authorization: xenditAuthorization(this.config.secretKey) };
    const answer: HttpAnswer =
      method === "POST"
        ? await postJson(`${this.config.baseUrl}${path}`, body, headers, this.config.timeoutMs)
        : await httpRequest(`${this.config.baseUrl}${path}`, { headers: { ...headers, accept: "application/json" }, timeoutMs: this.config.timeoutMs });
    const json = answer.json as { error_code?: unknown; message?: unknown } | undefined;
    if (json === undefined || json === null || typeof json !== "object") {
      throw new Error(`Xendit answered HTTP ${answer.status} with a body that is not JSON`);
    }
    if (answer.status >= 400 || typeof json.error_code === "string") {
      const code = typeof json.error_code === "string" ? json.error_code : `HTTP ${answer.status}`;
      throw new Error(`Xendit refused the request: ${code}${typeof json.message === "string" ? ` (${json.message})` : ""}`);
    }
    return json as T;
  }
}

/** PAID and SETTLED both mean paid; COMPLETING/REMINDER are not final. */
export function mapXenditStatus(status: string): GatewayPaymentStatus {
  switch (status.toUpperCase()) {
    case "PAID":
    case "SETTLED":
      return "PAID";
    case "EXPIRED":
      return "EXPIRED";
    default:
      return "PENDING";
  }
}
