import { isEmail } from "class-validator";
import { badInput } from "../../core/errors";

// Input rules shared by register, profile, password and admin calls.
// Each throws BAD_USER_INPUT naming the field, before anything is written.

export const LIMITS = { name: 120, email: 190, passwordMin: 8, passwordMax: 72, search: 100, tokenName: 60 } as const;

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > LIMITS.email || !isEmail(email)) throw badInput("Enter a valid email address", { field: "email" });
  return email;
}

/** Indonesian mobile numbers: 08…, +62 8…, 62 8… (spaces, dashes, dots allowed) → 628… */
export function normalizeWhatsapp(raw: string): string {
  const compact = raw.replace(/[\s.()-]/g, "");
  const match = /^(?:\+?62|0)(8\d{7,12})$/.exec(compact);
  if (!match) throw badInput("Enter an Indonesian mobile number (08…, +62…, 62…)", { field: "whatsapp" });
  return `62${match[1]}`;
}

export function checkName(raw: string, field = "name", max: number = LIMITS.name): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > max) throw badInput(`${field} must be 1 to ${max} characters`, { field });
  return name;
}

/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
export function checkPassword(password: string, field = "password"): string {
  const bytes = Buffer.byteLength(password, "utf8");
  if (password.length < LIMITS.passwordMin || bytes > LIMITS.passwordMax) {
    throw badInput(`Password must be at least ${LIMITS.passwordMin} characters (at most ${LIMITS.passwordMax} bytes)`, { field });
  }
  return password;
}

export function checkPaging(offset: number, limit: number, maxLimit = 100): void {
  if (!Number.isInteger(offset) || offset < 0) throw badInput("offset must be 0 or more", { field: "offset" });
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw badInput(`limit must be 1 to ${maxLimit}`, { field: "limit" });
}
