import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const md5 = (input: string) => createHash("md5").update(input).digest("hex");
export const sha256 = (input: string) => createHash("sha256").update(input).digest("hex");
export const sha512 = (input: string) => createHash("sha512").update(input).digest("hex");
export const hmacHex = (algorithm: "sha1" | "sha256", key: string, message: string | Buffer) =>
  createHmac(algorithm, key).update(message).digest("hex");

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
