import { badInput } from "../../core/errors";

/** Every store setting, typed, with its default. Other modules read these through SettingsService. */
export interface StoreSettings {
  storeName: string;
  contactEmail: string;
  contactWhatsapp: string;
  contactAddress: string;
  /** tax on the order total in basis points (1100 = 11 % PPN); 0 = no tax line */
  taxRateBp: number;
  /** true: prices already include tax */
  taxInclusive: boolean;
  /** one point for every this many rupiah paid; 0 turns earning off (PointsRules.rupiahPerPointEarned) */
  pointsEarnPerRupiah: number;
  /** what one point is worth when redeemed, in rupiah */
  pointValueRupiah: number;
  /** the largest share of an order total points may pay, in basis points */
  pointsMaxRedeemShareBp: number;
  walletMinTopup: number;
  walletMaxTopup: number;
  walletMaxBalance: number;
  /** an unpaid order expires after this many minutes */
  orderExpiryMinutes: number;
}

export const SETTING_DEFAULTS: StoreSettings = {
  storeName: "Lapak",
  contactEmail: "cs@lapak.test",
  contactWhatsapp: "6281234567890",
  contactAddress: "Jakarta, Indonesia",
  taxRateBp: 0,
  taxInclusive: true,
  pointsEarnPerRupiah: 1000,
  pointValueRupiah: 1,
  pointsMaxRedeemShareBp: 5000,
  walletMinTopup: 10_000,
  walletMaxTopup: 10_000_000,
  walletMaxBalance: 50_000_000,
  orderExpiryMinutes: 60,
};

type Check = (value: unknown, key: string) => unknown;

const text = (max: number): Check => (value, key) => {
  if (typeof value !== "string" || value.trim().length === 0 || value.length > max) throw badInput(`${key} must be 1 to ${max} characters`, { field: key });
  return value.trim();
};
const whole = (min: number, max: number): Check => (value, key) => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) throw badInput(`${key} must be a whole number between ${min} and ${max}`, { field: key });
  return value;
};
const flag: Check = (value, key) => {
  if (typeof value !== "boolean") throw badInput(`${key} must be true or false`, { field: key });
  return value;
};

export const SETTING_CHECKS: Record<keyof StoreSettings, Check> = {
  storeName: text(100),
  contactEmail: (value, key) => {
    const email = text(190)(value, key) as string;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badInput(`${key} is not an email address`, { field: key });
    return email.toLowerCase();
  },
  contactWhatsapp: (value, key) => {
    const phone = text(20)(value, key) as string;
    if (!/^62[0-9]{8,13}$/.test(phone)) throw badInput(`${key} must be in 62… form`, { field: key });
    return phone;
  },
  contactAddress: text(300),
  taxRateBp: whole(0, 10_000),
  taxInclusive: flag,
  pointsEarnPerRupiah: whole(0, 1_000_000_000),
  pointValueRupiah: whole(1, 1_000_000),
  pointsMaxRedeemShareBp: whole(0, 10_000),
  walletMinTopup: whole(1, 1_000_000_000),
  walletMaxTopup: whole(1, 10_000_000_000),
  walletMaxBalance: whole(1, 100_000_000_000),
  orderExpiryMinutes: whole(5, 7 * 24 * 60),
};
