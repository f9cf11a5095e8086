/**
 * One interface for every payment gateway (Tripay, Midtrans, Duitku, Tokopay,
 * Xendit). The payments service talks only to this; adapters translate to each
 * provider's protocol (see ../shared/providers/<name>.md).
 */
export type GatewayCode = "TRIPAY" | "MIDTRANS" | "DUITKU" | "TOKOPAY" | "XENDIT";

/** Where a payment stands, in the store's words (each adapter maps its provider's statuses). */
export type GatewayPaymentStatus = "PENDING" | "PAID" | "EXPIRED" | "FAILED" | "REFUNDED";

export interface ChargeRequest {
  /** The store's reference for this payment attempt (unique per attempt; sent as merchant_ref / order_id / external_id / reff_id). */
  reference: string;
  /** Integer rupiah the store asks for (order total, buyer-borne fee included). */
  amount: number;
  /** The gateway's channel code, e.g. QRIS, BCAVA (Tripay), bank_transfer:bca (Midtrans), SP (Duitku). */
  channel: string;
  customer: { name: string; email: string; phone?: string };
  items: { sku: string; name: string; price: number; quantity: number }[];
  expiresAt: Date;
  callbackUrl: string;
  returnUrl?: string;
}

/** How the buyer pays; at least one of the instruction fields is set. */
export interface ChargeResult {
  /** The gateway's own id (Tripay reference, Midtrans transaction_id, Duitku reference, Tokopay trx_id, Xendit invoice id). */
  gatewayReference: string;
  /** What the buyer must pay at the gateway (may include a fee the gateway adds, e.g. Tokopay total_bayar). */
  amountToPay: number;
  payUrl?: string;
  vaNumber?: string;
  qrString?: string;
  paymentCode?: string;
  expiresAt?: Date;
  raw: unknown;
}

export interface CallbackRequest {
  /** Path after /webhooks/<gateway>, e.g. "/invoice" for Xendit. */
  subPath: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received: signatures are computed over them. */
  rawBody: Buffer;
  ip: string;
}

export interface ParsedCallback {
  /** False when the signature/token is wrong or the body cannot be read; `reason` says why. */
  verified: boolean;
  reason?: string;
  /** The store's payment reference named by the callback (null when unreadable). */
  reference: string | null;
  gatewayReference: string | null;
  /** The provider's own dedupe key for this event (e.g. Tripay reference + status). */
  eventKey: string;
  status: GatewayPaymentStatus;
  /** What the gateway says was paid, comparable with ChargeResult.amountToPay (null when it does not say). */
  amountPaid: number | null;
  /** Tokopay and Xendit callbacks do not sign the amount: confirm with queryStatus before crediting. */
  requiresStatusCheck: boolean;
}

/** The HTTP answer a gateway expects from the store's webhook. */
export interface CallbackAnswer {
  status: number;
  body: unknown;
}

export interface StatusResult {
  status: GatewayPaymentStatus;
  amountPaid: number | null;
  gatewayReference: string | null;
  raw: unknown;
}

export interface RefundResult {
  refunded: boolean;
  refundReference?: string;
  raw?: unknown;
}

export interface PaymentGateway {
  readonly code: GatewayCode;
  /** Creates the charge at the gateway. Throws on network failure / refusal (message safe to log). */
  createCharge(request: ChargeRequest): Promise<ChargeResult>;
  /** Verifies and reads a callback. Never throws for bad input: returns verified=false with a reason. */
  parseCallback(request: CallbackRequest): ParsedCallback;
  /** What to answer: `accepted` for anything stored (even duplicates or mismatches, so retries stop), `rejected` for bad signatures. */
  answer(outcome: "accepted" | "rejected"): CallbackAnswer;
  /** Asks the gateway where a payment stands (the truth behind a callback). */
  queryStatus(payment: { reference: string; gatewayReference: string | null }): Promise<StatusResult>;
  /** Refunds through the gateway's API, where it has one. */
  refund?(payment: { reference: string; gatewayReference: string | null }, amount: number, reason: string): Promise<RefundResult>;
}
