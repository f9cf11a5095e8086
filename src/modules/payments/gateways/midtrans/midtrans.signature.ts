import { sha512 } from "../../../../core/crypto";

/**
 * Midtrans notification / Get Status signature (../shared/providers/midtrans.md §4):
 * SHA-512 over order_id + status_code + gross_amount + serverKey, using the strings
 * exactly as they appear in the body ("150000.00", never a re-formatted number).
 */
export function midtransSignature(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return sha512(orderId + statusCode + grossAmount + serverKey);
}

/** HTTP Basic with the server key as user name and an empty password. */
export function midtransAuthorization(serverKey: string): string {
  return `Basic ${Buffer.from(`${serverKey}:`).toString("base64")}`;
}
