import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url (43 characters). */
export const randomToken = (): string => randomBytes(32).toString("base64url");

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

/** Refresh, reset and API tokens are this shape; anything else is refused before a lookup. */
export const TOKEN_BODY = /^[A-Za-z0-9_-]{43}$/;

export const API_TOKEN_PREFIX = "lpk_";
export const API_TOKEN_PATTERN = /^lpk_[A-Za-z0-9_-]{43}$/;
