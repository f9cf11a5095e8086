/** PASS / MISS against a target; INFO for context rows; FAILED when a scenario could not run. */
export type Verdict = "PASS" | "MISS" | "INFO" | "FAILED";

/** One line of the results table (and of the JSON file). */
export interface Row {
  scenario: string;
  measure: string;
  /** how the load was offered, e.g. "closed, 20 conn" or "300/s, <=50 conn" */
  load?: string;
  throughput?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  errors?: string;
  apiPeakMb?: number;
  workerPeakMb?: number;
  /** throughput / the baseline's, measured in the same run */
  ratio?: number;
  target?: string;
  verdict: Verdict;
  note?: string;
}

const COLUMNS: [string, (row: Row) => string, "left" | "right"][] = [
  ["scenario", (r) => r.scenario, "left"],
  ["measure", (r) => r.measure, "left"],
  ["load", (r) => r.load ?? "", "left"],
  ["req/s", (r) => num(r.throughput, 0), "right"],
  ["p50 ms", (r) => num(r.p50, 1), "right"],
  ["p95 ms", (r) => num(r.p95, 1), "right"],
  ["p99 ms", (r) => num(r.p99, 1), "right"],
  ["errors", (r) => r.errors ?? "", "left"],
  ["API MB", (r) => num(r.apiPeakMb, 0), "right"],
  ["wrk MB", (r) => num(r.workerPeakMb, 0), "right"],
  ["ratio", (r) => (r.ratio === undefined ? "" : `${(r.ratio * 100).toFixed(0)}%`), "right"],
  ["target", (r) => r.target ?? "", "left"],
  ["result", (r) => r.verdict, "left"],
];

function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "" : value.toFixed(digits);
}

/** A plain-text table; notes are numbered under it. */
export function formatTable(rows: Row[]): string {
  const notes: string[] = [];
  const cells = rows.map((row) =>
    COLUMNS.map(([, get], c) => {
      const value = get(row);
      if (c !== 1 || !row.note) return value;
      notes.push(`[${notes.length + 1}] ${row.scenario} / ${row.measure}: ${row.note}`);
      return `${value} [${notes.length}]`;
    }),
  );
  const widths = COLUMNS.map(([title], c) => Math.max(title.length, ...cells.map((line) => line[c].length)));
  const line = (values: string[]) =>
    values.map((value, c) => (COLUMNS[c][2] === "right" ? value.padStart(widths[c]) : value.padEnd(widths[c]))).join(" | ").trimEnd();
  return [line(COLUMNS.map(([title]) => title)), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line), "", ...notes].join("\n");
}
