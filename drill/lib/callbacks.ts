import { hmacHex } from "../../src/core/crypto";
import { DUITKU_SANDBOX_CREDENTIALS } from "../../src/modules/payments/gateways/duitku/duitku.config";
import { duitkuCallbackSignature } from "../../src/modules/payments/gateways/duitku/duitku.signature";
import { MIDTRANS_SANDBOX_SERVER_KEY } from "../../src/modules/payments/gateways/midtrans/midtrans.config";
import { midtransSignature } from "../../src/modules/payments/gateways/midtrans/midtrans.signature";
import { TRIPAY_SANDBOX_CREDENTIALS } from "../../src/modules/payments/gateways/tripay/tripay.config";
import { tripayCallbackSignature } from "../../src/modules/payments/gateways/tripay/tripay.signature";
import { DIGIFLAZZ_SIM_DEFAULTS } from "../../src/sandbox/digiflazz/digiflazz.simulator";
import type { DrillStore } from "./store";

/**
 * Provider callbacks as the drills send them: copies of what a simulator
 * really sent (from its delivery log), and callbacks the drill signs itself
 * with the sandbox credentials (a provider saying something new, e.g. "failed"
 * after "success") or signs wrongly (forgeries).
 */
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** the simulator's attempts (each one a POST the store answered or not) */
  attempts?: { status: number | null }[];
  dropped?: boolean;
}

export type GatewayProvider = "tripay" | "midtrans" | "duitku";

/** A simulator's delivery log: every callback or webhook it sent (or dropped). */
export async function simDeliveries(store: DrillStore, provider: GatewayProvider | "digiflazz"): Promise<Delivery[]> {
  return (await store.simGet(provider, provider === "digiflazz" ? "/webhooks" : "/callbacks")) as Delivery[];
}

/** A delivery's headers for sending it again: those of the original connection left out (the client sets its own). */
export function replayHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !["content-length", "host", "connection"].includes(name.toLowerCase())));
}

/** POSTs a callback exactly (same bytes, same headers); the HTTP status, 0 when no answer came. */
export async function deliver(delivery: Pick<Delivery, "url" | "headers" | "body">): Promise<number> {
  const headers = replayHeaders(delivery.headers);
  try {
    const response = await fetch(delivery.url, { method: "POST", headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The payment reference (ours) a gateway callback names. */
export function referenceOf(provider: GatewayProvider, body: string): string | null {
  try {
    if (provider === "duitku") return new URLSearchParams(body).get("merchantOrderId");
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return String(provider === "tripay" ? parsed.merchant_ref : parsed.order_id);
  } catch {
    return null;
  }
}

/**
 * The same gateway callback with another status, correctly signed with the
 * sandbox credentials: "pending" or "failed" after the payment succeeded.
 * Null when the protocol has no such callback (Duitku sends no pending).
 */
export function restatedGatewayCallback(provider: GatewayProvider, paid: Delivery, to: "pending" | "failed"): Delivery | null {
  if (provider === "tripay") {
    const body = JSON.stringify({ ...JSON.parse(paid.body), status: to === "pending" ? "UNPAID" : "FAILED", paid_at: null });
    return { url: paid.url, headers: { ...paid.headers, "x-callback-signature": tripayCallbackSignature(TRIPAY_SANDBOX_CREDENTIALS.privateKey, body) }, body };
  }
  if (provider === "midtrans") {
    const parsed = JSON.parse(paid.body) as Record<string, string>;
    const [status, code] = to === "pending" ? ["pending", "201"] : ["deny", "202"];
    const body = JSON.stringify({ ...parsed, transaction_status: status, status_code: code, signature_key: midtransSignature(parsed.order_id, code, parsed.gross_amount, MIDTRANS_SANDBOX_SERVER_KEY) });
    return { url: paid.url, headers: paid.headers, body };
  }
  if (to === "pending") return null;
  const form = new URLSearchParams(paid.body);
  form.set("resultCode", "01");
  return { url: paid.url, headers: paid.headers, body: form.toString() };
}

/** A payment a forged callback names: ours (reference), the gateway's id for it, and what it costs. */
export interface ForgeTarget {
  reference: string;
  gatewayReference: string | null;
  amount: number;
}

const randomRef = () => `INV-FORGED-${Math.random().toString(36).slice(2, 10)}`;

/**
 * A forged "paid" gateway callback built on a real one (`template`, for its
 * shape): aimed at `target` (or at a reference nobody knows), and either
 * signed with a wrong key, or correctly signed but naming a wrong amount or an
 * unknown reference.
 */
export function forgedGatewayCallback(provider: GatewayProvider, template: Delivery, kind: "bad-signature" | "wrong-amount" | "unknown-reference", target?: ForgeTarget): Delivery {
  const unknown = kind === "unknown-reference" || !target;
  const reference = unknown ? randomRef() : target.reference;
  const gatewayReference = unknown ? `GW-FORGED-${Math.random().toString(36).slice(2, 10)}` : target.gatewayReference;
  if (provider === "tripay") {
    const parsed = JSON.parse(template.body) as Record<string, unknown>;
    const amount = target && kind !== "wrong-amount" ? target.amount : Number(parsed.total_amount) - 1_000;
    Object.assign(parsed, { merchant_ref: reference, reference: gatewayReference ?? parsed.reference, total_amount: amount, status: "PAID" });
    const body = JSON.stringify(parsed);
    const key = kind === "bad-signature" ? "not-the-private-key" : TRIPAY_SANDBOX_CREDENTIALS.privateKey;
    return { url: template.url, headers: { ...template.headers, "x-callback-signature": tripayCallbackSignature(key, body) }, body };
  }
  if (provider === "midtrans") {
    const parsed = JSON.parse(template.body) as Record<string, string>;
    const amount = target && kind !== "wrong-amount" ? target.amount : Number.parseInt(parsed.gross_amount, 10) - 1_000;
    Object.assign(parsed, { order_id: reference, gross_amount: `${amount}.00`, transaction_status: "settlement", status_code: "200" });
    if (gatewayReference) parsed.transaction_id = gatewayReference;
    const key = kind === "bad-signature" ? "not-the-server-key" : MIDTRANS_SANDBOX_SERVER_KEY;
    parsed.signature_key = midtransSignature(parsed.order_id, parsed.status_code, parsed.gross_amount, key);
    return { url: template.url, headers: template.headers, body: JSON.stringify(parsed) };
  }
  const form = new URLSearchParams(template.body);
  const amount = target && kind !== "wrong-amount" ? target.amount : Number(form.get("amount")) - 1_000;
  form.set("merchantOrderId", reference);
  if (gatewayReference) form.set("reference", gatewayReference);
  form.set("amount", String(amount));
  form.set("resultCode", "00");
  const { merchantCode, apiKey } = DUITKU_SANDBOX_CREDENTIALS;
  form.set("signature", duitkuCallbackSignature(merchantCode, String(amount), reference, kind === "bad-signature" ? "not-the-api-key" : apiKey));
  return { url: template.url, headers: template.headers, body: form.toString() };
}

// --- Digiflazz (supplier) -----------------------------------------------------------------

export function digiflazzRefOf(body: string): string | null {
  try {
    return String((JSON.parse(body) as { data: { ref_id: string } }).data.ref_id);
  } catch {
    return null;
  }
}

export function digiflazzStatusOf(body: string): string | null {
  try {
    return String((JSON.parse(body) as { data: { status: string } }).data.status);
  } catch {
    return null;
  }
}

/** A Digiflazz webhook with new data fields, signed (X-Hub-Signature) with `secret` (default: the sandbox's). */
export function signedDigiflazzWebhook(base: Delivery, data: Record<string, unknown>, secret = DIGIFLAZZ_SIM_DEFAULTS.webhook_secret): Delivery {
  const parsed = JSON.parse(base.body) as { data: Record<string, unknown> };
  const body = JSON.stringify({ data: { ...parsed.data, ...data } });
  return { url: base.url, headers: { ...base.headers, "x-hub-signature": `sha1=${hmacHex("sha1", secret, body)}` }, body };
}
