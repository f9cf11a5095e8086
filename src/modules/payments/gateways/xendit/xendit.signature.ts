import { safeEqual } from "../../../../core/crypto";

/**
 * Xendit signs nothing: outgoing calls use HTTP Basic with the secret key as
 * user name and an empty password (the trailing colon matters), and callbacks
 * carry the dashboard's static verification token in `x-callback-token`.
 */
export const xenditAuthorization = (secretKey: string) => `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`;

/** Constant-time check of the callback token header (false when missing or repeated). */
export function xenditTokenMatches(header: string | string[] | undefined, expected: string): boolean {
  return typeof header === "string" && expected.length > 0 && safeEqual(header, expected);
}
