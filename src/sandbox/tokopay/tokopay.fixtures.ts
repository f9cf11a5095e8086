/** Channel fixture of the Tokopay simulator: which kind of answer each kode_channel gets. */
export type TokopayChannelKind = "qris" | "va" | "ewallet";

export const TOKOPAY_CHANNEL_KINDS: Record<string, TokopayChannelKind> = {
  QRIS: "qris",
  QRISREALTIME: "qris",
  BRIVA: "va",
  BCAVA: "va",
  BNIVA: "va",
  MANDIRIVA: "va",
  PERMATAVA: "va",
  DANABALANCE: "ewallet",
  OVOBALANCE: "ewallet",
  SHOPEEPAYBALANCE: "ewallet",
};

/** Fee in integer rupiah (per-mille rates round up, as gateways do). */
export function tokopayFee(
  config: { qris_fee_permille: number; va_fee: number; ewallet_fee_permille: number },
  kind: TokopayChannelKind,
  amount: number,
): number {
  if (kind === "va") return config.va_fee;
  const permille = kind === "qris" ? config.qris_fee_permille : config.ewallet_fee_permille;
  return Math.ceil((amount * permille) / 1000);
}

/** "YYYY-MM-DD HH:mm:ss" in WIB (GMT+7), no zone marker — as Tokopay writes times. */
export function wibTime(date: Date): string {
  return new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}
