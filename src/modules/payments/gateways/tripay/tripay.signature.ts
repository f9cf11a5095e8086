import { hmacHex } from "../../../../core/crypto";

/** Closed-payment create signature: HMAC-SHA256(private_key, merchant_code + merchant_ref + amount), amount as a plain integer. */
export function tripayCreateSignature(privateKey: string, merchantCode: string, merchantRef: string, amount: number | string): string {
  return hmacHex("sha256", privateKey, `${merchantCode}${merchantRef}${amount}`);
}

/** Open-payment signature (not used by the store; kept for the documented vector). */
export function tripayOpenSignature(privateKey: string, merchantCode: string, channel: string, merchantRef: string): string {
  return hmacHex("sha256", privateKey, `${merchantCode}${channel}${merchantRef}`);
}

/** Callback signature (X-Callback-Signature): HMAC-SHA256 over the raw body bytes, never a re-serialisation. */
export function tripayCallbackSignature(privateKey: string, rawBody: Buffer | string): string {
  return hmacHex("sha256", privateKey, rawBody);
}
