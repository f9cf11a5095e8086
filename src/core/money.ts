import type { ValueTransformer } from "typeorm";

/**
 * Rupiah are whole numbers in BIGINT columns. mysql2 returns BIGINT as a
 * string; this turns it into a number and refuses anything a JS number
 * cannot hold exactly (never rounds money).
 */
export const moneyTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`money must be a safe integer, got ${value}`);
    return value;
  },
  from: (value: string | number | null) => (value === null ? null : toMoney(value)),
};

export function toMoney(value: string | number | bigint): number {
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`money value out of range: ${String(value)}`);
  return number;
}

/** Column options for a rupiah amount. */
export const moneyColumn = (name: string, options: { default?: number; nullable?: boolean } = {}) => ({
  name,
  type: "bigint" as const,
  transformer: moneyTransformer,
  ...options,
});
