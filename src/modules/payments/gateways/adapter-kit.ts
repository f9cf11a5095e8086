import { safeEqual } from "../../../core/crypto";
import { postJson } from "../../../core/http-client";
import type { CallbackRequest, ChargeRequest, GatewayPaymentStatus, ParsedCallback } from "./payment-gateway";

/** Small pieces the Midtrans and Duitku adapters share. */

/** One request header, whatever its case or multiplicity. */
export function headerValue(headers: CallbackRequest["headers"], name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Gateways that take item lines insist they add up to the amount. The amount
 * may hold a buyer-borne fee or a discount the lines do not show, so one
 * adjustment line makes up the difference.
 */
export function itemLinesForAmount(request: ChargeRequest): ChargeRequest["items"] {
  const lines = request.items.map((item) => ({ ...item }));
  const difference = request.amount - lines.reduce((sum, item) => sum + item.price * item.quantity, 0);
  if (difference !== 0) {
    lines.push({ sku: difference > 0 ? "FEE" : "DISCOUNT", name: difference > 0 ? "Biaya layanan" : "Potongan", price: difference, quantity: 1 });
  }
  return lines;
}

/** A callback that could not be trusted or read: nothing may change because of it. */
export function unverifiedCallback(reason: string, known: Partial<ParsedCallback> = {}): ParsedCallback {
  return {
    verified: false,
    reason,
    reference: null,
    gatewayReference: null,
    eventKey: "",
    status: "PENDING",
    amountPaid: null,
    requiresStatusCheck: true,
    ...known,
  };
}

/**
 * The end of reading a callback whose signature covers some fields (Midtrans, Duitku):
 * compare the signature in constant time, insist on whole rupiah, and return the verified
 * reading. The status is not among the signed fields, so the status API must confirm it.
 */
export function signedFieldsCallback(input: {
  received: string;
  expected: string;
  /** names the signed fields, for the reason */
  formula: string;
  amount: string;
  reference: string;
  gatewayReference: string | null;
  eventKey: string;
  status: GatewayPaymentStatus;
}): ParsedCallback {
  const known = { reference: input.reference, gatewayReference: input.gatewayReference, eventKey: input.eventKey };
  if (!safeEqual(input.received.toLowerCase(), input.expected)) return unverifiedCallback(`signature does not match ${input.formula}`, known);
  const amountPaid = wholeRupiah(input.amount);
  if (amountPaid === null) return unverifiedCallback(`amount "${input.amount}" is not whole rupiah`, known);
  return { verified: true, ...known, status: input.status, amountPaid, requiresStatusCheck: true };
}

/** Whole rupiah from a decimal string such as "150000" or "150000.00"; null for anything else (cents, signs, junk). */
export function wholeRupiah(value: unknown): number | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const match = /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!match || (match[2] !== undefined && Number(match[2]) !== 0)) return null;
  const amount = Number(match[1]);
  return Number.isSafeInteger(amount) ? amount : null;
}

/**
 * A sandbox-only "pay now" for the simulatePayment mutation: POSTs the
 * simulator's force-pay endpoint (e.g. <sandboxUrl>/midtrans/__sim/transactions/<order_id>/pay).
 */
export async function forcePayInSimulator(url: string): Promise<void> {
  const answer = await postJson(url, {});
  if (answer.status !== 200) throw new Error(`sandbox simulator refused to pay (HTTP ${answer.status}: ${answer.text.slice(0, 200)})`);
}

/** Midtrans and Duitku times are "YYYY-MM-DD HH:mm:ss" in WIB (GMT+7) with no zone marker (providers README, trap 10). */
const WIB_OFFSET_MS = 7 * 3600 * 1000;

export function toWib(date: Date): string {
  return new Date(date.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** The instant a WIB wall-clock string names, or undefined when it is not one. */
export function fromWib(value: unknown): Date | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime() - WIB_OFFSET_MS);
}
