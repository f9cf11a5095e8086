/**
 * Scripted outcomes by customer number (providers/digiflazz.md §5 and §6.5).
 * They apply to ANY SKU; every other number succeeds.
 */
export type PrepaidScript =
  | { kind: "success"; sn?: string }
  | { kind: "fail"; rc: string }
  | { kind: "pending"; rc: string; then: "Sukses" | "Gagal" }
  /** refused before any transaction exists */
  | { kind: "refuse"; rc: string };

const PREPAID: Record<string, PrepaidScript> = {
  "087800001230": { kind: "success", sn: "1234567890" },
  "087800001232": { kind: "fail", rc: "02" },
  "087800001233": { kind: "pending", rc: "03", then: "Sukses" },
  "087800001234": { kind: "pending", rc: "03", then: "Gagal" },
  // simulator-only numbers
  "087800009043": { kind: "refuse", rc: "43" },
  "087800009054": { kind: "fail", rc: "54" },
  "087800009099": { kind: "pending", rc: "99", then: "Sukses" },
  "087800009085": { kind: "refuse", rc: "85" },
};

export const prepaidScript = (customerNo: string): PrepaidScript => PREPAID[customerNo] ?? { kind: "success" };

export type PostpaidScript = "success" | "inquiry_fail" | "pay_fail" | "pending_success" | "pending_fail";

// Columns of the §5 postpaid table: success, inquiry fails, payment fails, pending→Sukses, pending→Gagal.
const POSTPAID_ROWS: [string[], string[], string[], string[], string[]][] = [
  [["530000000001", "530000000002"], ["530000000003"], ["530000000006"], ["630000000001", "630000000002"], ["630000000006"]], // pln
  [["1013226"], ["1013227"], ["1013230"], ["2013226"], ["2013230"]], // pdam
  [["6391601001"], ["6391601002"], ["6391601005"], ["7391601001"], ["7391601005"]], // internet
  [["8801234560001"], ["8801234560002"], ["8801234560005"], ["9801234560001"], ["9801234560005"]], // bpjs
  [["6391601201"], ["6391601202"], ["6391601205"], ["7391601201"], ["7391601205"]], // multifinance
  [["329801092375999991"], ["329801092375999992"], ["329801092375999995"], ["429801092375999991"], ["429801092375999995"]], // cimahi (PBB)
  [["0110014601", "0110014602"], ["0110014603"], ["0110014605"], ["1110014601", "1110014602"], ["1110014605"]], // pgas
  [["127246500101"], ["127246500102"], ["127246500105"], ["227246500101"], ["227246500105"]], // tv
];
const POSTPAID_KINDS: PostpaidScript[] = ["success", "inquiry_fail", "pay_fail", "pending_success", "pending_fail"];
const POSTPAID = new Map<string, PostpaidScript>();
for (const row of POSTPAID_ROWS) row.forEach((numbers, column) => numbers.forEach((number) => POSTPAID.set(number, POSTPAID_KINDS[column])));

export const postpaidScript = (customerNo: string): PostpaidScript => POSTPAID.get(customerNo) ?? "success";

/** How many bills a postpaid number owes (PLN 530000000002 / 630000000002 owe two). */
export const billCount = (customerNo: string) => (customerNo.endsWith("0000002") ? 2 : 1);
