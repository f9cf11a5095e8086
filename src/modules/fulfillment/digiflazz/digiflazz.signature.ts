import { hmacHex, md5, safeEqual } from "../../../core/crypto";

/**
 * Digiflazz request signatures (providers/digiflazz.md §1): lowercase hex
 * md5(username + apiKey + X), no separators, where X names the call.
 */
export const digiflazzSign = (username: string, apiKey: string, suffix: string) => md5(`${username}${apiKey}${suffix}`);

export const balanceSign = (username: string, apiKey: string) => digiflazzSign(username, apiKey, "depo");
export const priceListSign = (username: string, apiKey: string) => digiflazzSign(username, apiKey, "pricelist");
export const depositSign = (username: string, apiKey: string) => digiflazzSign(username, apiKey, "deposit");
/** every /transaction call (top-up, re-check, postpaid inquiry/pay/status) signs its ref_id */
export const transactionSign = (username: string, apiKey: string, refId: string) => digiflazzSign(username, apiKey, refId);
export const plnInquirySign = (username: string, apiKey: string, customerNo: string) => digiflazzSign(username, apiKey, customerNo);

/** X-Hub-Signature of a webhook: "sha1=" + HMAC-SHA1(secret, the exact body bytes). */
export const webhookSignature = (secret: string, rawBody: Buffer | string) => `sha1=${hmacHex("sha1", secret, rawBody)}`;

/** Checks X-Hub-Signature over the raw bytes; the "sha1=" prefix is optional (some senders omit it). */
export function verifyWebhookSignature(secret: string, rawBody: Buffer | string, header: string | undefined): boolean {
  if (!header || secret === "") return false;
  const given = header.trim().replace(/^sha1=/i, "").toLowerCase();
  return safeEqual(given, hmacHex("sha1", secret, rawBody));
}
