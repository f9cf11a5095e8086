/**
 * One interface for a supplier of prepaid products (today Digiflazz). The
 * purchase engine talks only to this; an adapter translates to the supplier's
 * protocol (see ../shared/providers/digiflazz.md).
 */

/** What the engine does next with a purchase after the supplier answered. */
export type PurchaseOutcome =
  /** delivered; `sn` is the proof (voucher, PLN token, reference) */
  | "SUCCESS"
  /** accepted, not final yet: wait for the webhook and re-check with the SAME ref_id */
  | "PENDING"
  /** final failure: nothing was (or will be) delivered for this ref_id */
  | "FAILED"
  /** no usable answer (network, timeout, 5xx, unreadable body, rate limit, our own misconfiguration):
   *  state unknown or nothing done — send the SAME ref_id again later, never a new one */
  | "RETRY";

export interface PurchaseRequest {
  /** fixed before the first attempt and reused on every retry and re-check */
  refId: string;
  sku: string;
  customerNo: string;
  /** integer rupiah: the supplier refuses when its price is higher (never sell at a loss) */
  maxPrice: number;
}

export interface PurchaseResult {
  outcome: PurchaseOutcome;
  /** the supplier's response code (null when no readable answer came) */
  rc: string | null;
  sn: string | null;
  /** integer rupiah charged by the supplier, when it says */
  price: number | null;
  message: string;
  /** the supplier's answer as received (JSON), or a description of the failure */
  raw: unknown;
}

export interface SupplierProduct {
  sku: string;
  name: string;
  category: string;
  brand: string;
  type: string | null;
  sellerName: string | null;
  /** integer rupiah; for postpaid products this is the admin fee */
  price: number;
  /** enabled on both the buyer and the seller side, and in stock */
  available: boolean;
  buyerActive: boolean;
  sellerActive: boolean;
  unlimitedStock: boolean;
  stock: number | null;
  multi: boolean;
  /** daily cut-off window "hh:mm" (WIB), may wrap midnight */
  cutOffStart: string | null;
  cutOffEnd: string | null;
  description: string;
  kind: "prepaid" | "postpaid";
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** the exact bytes received: the signature covers them */
  rawBody: Buffer;
}

export interface ParsedSupplierWebhook {
  /** false when the signature is missing/wrong or the body is unreadable; nothing may change then */
  verified: boolean;
  reason?: string;
  /** the supplier's set-up ping: answer 200 and do nothing */
  ping: boolean;
  /** "create" | "update" | ... as the supplier names it */
  event: string | null;
  refId: string | null;
  result: PurchaseResult | null;
}

export interface Supplier {
  readonly code: string;
  /** Sends (or re-sends: same refId = re-check) a purchase. Never throws: failures come back as RETRY. */
  purchase(request: PurchaseRequest): Promise<PurchaseResult>;
  /** The store's deposit at the supplier, integer rupiah. Throws SupplierError. */
  balance(): Promise<number>;
  /** The supplier's catalogue. Throws SupplierError (e.g. rc 83 when asked too often). */
  priceList(options?: { kind?: "prepaid" | "postpaid"; sku?: string; category?: string; brand?: string }): Promise<SupplierProduct[]>;
  /** Verifies and reads a webhook. Never throws. */
  parseWebhook(request: WebhookRequest): ParsedSupplierWebhook;
}

/** A supplier call that did not give what was asked (message safe to log; rc when the supplier sent one). */
export class SupplierError extends Error {
  constructor(
    message: string,
    readonly rc: string | null = null,
    readonly retryable = false,
  ) {
    super(message);
  }
}
