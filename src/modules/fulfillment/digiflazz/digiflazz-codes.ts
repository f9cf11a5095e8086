import type { PurchaseOutcome } from "../supplier";

/**
 * Digiflazz response codes (providers/digiflazz.md §3) and what the purchase
 * engine does with each. The rule: drive state from `status`
 * (Sukses/Pending/Gagal); rc 03 and 99 are pending whatever the status says;
 * a Gagal whose cause is on OUR side or is a rate limit, where nothing was
 * bought, is retried with the SAME ref_id instead of failing the buyer's order.
 */
export interface RcInfo {
  message: string;
  /** the decision when the answer carries this rc with status Gagal */
  decision: PurchaseOutcome;
  /** why this code is not a plain final failure */
  why?: string;
}

const pending = (message: string, why: string): RcInfo => ({ message, decision: "PENDING", why });
const retry = (message: string, why: string): RcInfo => ({ message, decision: "RETRY", why });
const failed = (message: string): RcInfo => ({ message, decision: "FAILED" });

export const DIGIFLAZZ_CODES: Record<string, RcInfo> = {
  "00": { message: "Transaksi Sukses", decision: "SUCCESS" },
  "01": failed("Timeout"), // the supplier's own timeout, reported with status Gagal: final
  "02": failed("Transaksi Gagal"),
  "03": pending("Transaksi Pending", "the transaction exists and is not final yet"),
  "40": failed("Payload Error"),
  "41": retry("Signature tidak valid", "our key/sign or dev/prod mode is wrong: nothing bought; staff fixes the config, the same ref_id then goes through"),
  "42": retry("Gagal memproses API Buyer", "our username is wrong: nothing bought, configuration problem"),
  "43": failed("SKU tidak ditemukan atau Non-Aktif"),
  "44": retry("Saldo tidak cukup", "our deposit is short: nothing bought; it goes through once the deposit is topped up"),
  "45": retry("IP tidak dikenali", "our server IP is not whitelisted: nothing bought, configuration problem"),
  "47": failed("Transaksi sudah terjadi di buyer lain"),
  "49": failed("Ref ID tidak unik"),
  "50": failed("Transaksi Tidak Ditemukan"),
  "51": failed("Nomor Tujuan Diblokir"),
  "52": failed("Prefix Tidak Sesuai Dengan Operator"),
  "53": failed("Produk Seller Sedang Tidak Tersedia"),
  "54": failed("Nomor Tujuan Salah"),
  "55": failed("Produk Sedang Gangguan"),
  "56": failed("Limit saldo seller"),
  "57": failed("Jumlah Digit Kurang Atau Lebih"),
  "58": failed("Sedang Cut Off"),
  "59": failed("Tujuan di Luar Wilayah/Cluster"),
  "60": failed("Tagihan belum tersedia"),
  "61": retry("Belum pernah melakukan deposit", "our account has never been funded: nothing bought, configuration problem"),
  "62": failed("Seller sedang mengalami gangguan"),
  "63": failed("Tidak support transaksi multi"),
  "64": failed("Tarik tiket gagal, coba nominal lain"),
  "65": failed("Limit transaksi multi"),
  "66": failed("Cut Off (Perbaikan Sistem Seller)"),
  "67": failed("Seller belum ter-verifikasi"),
  "68": failed("Stok habis"),
  "69": failed("Harga seller lebih besar dari ketentuan harga buyer"),
  "70": failed("Timeout Dari Biller"),
  "71": failed("Produk Sedang Tidak Stabil"),
  "72": failed("Lakukan Unreg Paket Dahulu"),
  "73": failed("Kwh Melebihi Batas"),
  "74": failed("Transaksi Refund"),
  "80": failed("Akun Anda telah diblokir oleh Seller"),
  "81": failed("Seller ini telah diblokir oleh Anda"),
  "82": failed("Akun Anda belum ter-verifikasi"),
  "83": retry("Limitasi pengecekan pricelist", "rate limit: ask again later"),
  "84": failed("Nominal tidak valid"),
  "85": retry("Limitasi transaksi, coba 1 menit lagi", "rate limit: resend the same ref_id after at least a minute"),
  "86": retry("Limitasi pengecekan nomor PLN", "rate limit: ask again later"),
  "87": failed("Transaksi E-money wajib kelipatan Rp 1.000"),
  "88": failed("Akun tidak dapat melakukan aksi ini"),
  "99": pending("DF Router Issue", "Digiflazz documents rc 99 with status Pending: the transaction exists"),
};

/**
 * Decides what a transaction answer means. Unknown statuses or codes are
 * RETRY: an answer we cannot read must never be taken as a failure (which
 * would refund an order the supplier may still deliver) nor as a success.
 */
export function decideOutcome(status: unknown, rc: unknown): PurchaseOutcome {
  const code = typeof rc === "string" ? rc : typeof rc === "number" ? String(rc).padStart(2, "0") : "";
  if (code === "03" || code === "99" || status === "Pending") return "PENDING";
  if (status === "Sukses") return "SUCCESS";
  if (status === "Gagal") {
    const info = DIGIFLAZZ_CODES[code];
    if (!info) return "FAILED"; // an undocumented Gagal code is still a stated failure
    return info.decision === "SUCCESS" ? "RETRY" : info.decision; // "Gagal" with rc 00 is contradictory: ask again
  }
  return "RETRY";
}
