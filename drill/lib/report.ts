import { runLedgerChecks } from "../../src/ops/ledger-check";
import type { Rng } from "./rng";
import type { DrillStore } from "./store";

/** One verified claim of a drill. */
export interface Check {
  name: string;
  ok: boolean;
  /** numbers behind the verdict, or what went wrong */
  detail?: string;
}

export interface DrillResult {
  /** what was done to the store, in words */
  injected: string[];
  /** orders (or requests) in flight when the faults hit */
  inFlight: number;
  checks: Check[];
  /** failed checks (the ledger checker's included by the runner) */
  violations: number;
  /** anything else worth printing */
  notes?: string[];
}

export interface DrillContext {
  store: DrillStore;
  rng: Rng;
  seed: number;
  /** the shortened variant that runs inside `npm test` */
  quick: boolean;
  log(line: string): void;
}

export interface Drill {
  id: number;
  name: string;
  title: string;
  run(ctx: DrillContext): Promise<DrillResult>;
}

/** Collects checks; `result()` counts the violations. */
export class Checks {
  readonly list: Check[] = [];
  readonly injected: string[] = [];
  readonly notes: string[] = [];
  inFlight = 0;

  inject(what: string): void {
    this.injected.push(what);
  }

  note(what: string): void {
    this.notes.push(what);
  }

  expect(name: string, ok: boolean, detail?: string): boolean {
    this.list.push({ name, ok, detail });
    return ok;
  }

  equal(name: string, actual: unknown, expected: unknown, detail?: string): boolean {
    const ok = JSON.stringify(actual) === JSON.stringify(expected);
    return this.expect(name, ok, ok ? (detail ?? (typeof actual === "object" ? JSON.stringify(actual) : String(actual))) : `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}${detail ? ` (${detail})` : ""}`);
  }

  /** `ids` lists offenders: ok when empty; the detail shows a few. */
  none(name: string, ids: string[], total?: number): boolean {
    const ok = ids.length === 0;
    const of = total === undefined ? "" : ` of ${total}`;
    return this.expect(name, ok, ok ? `0${of}` : `${ids.length}${of}, e.g. ${ids.slice(0, 3).join(", ")}`);
  }

  result(): DrillResult {
    return { injected: this.injected, inFlight: this.inFlight, checks: this.list, violations: this.list.filter((c) => !c.ok).length, notes: this.notes };
  }
}

/** The ledger checker (`npm run check:ledger`) as drill checks. */
export async function ledgerChecks(store: DrillStore): Promise<Check[]> {
  const results = await runLedgerChecks(store.db);
  return results.map((result) => ({
    name: `ledger: ${result.name}`,
    ok: result.violations === 0,
    detail: result.violations === 0 ? undefined : `${result.violations} row(s), e.g. ${result.sample.join(", ")}`,
  }));
}

export function printResult(drill: Pick<Drill, "id" | "title">, result: DrillResult | null, seconds: number, out: (line: string) => void, error?: unknown): void {
  out("");
  out(`── drill ${drill.id} · ${drill.title}`);
  if (!result) {
    out(`   ${error ? `ERROR  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : "not implemented"}`);
    out(`   → FAIL`);
    return;
  }
  for (const [index, line] of result.injected.entries()) out(`   ${index === 0 ? "injected " : "         "}: ${line}`);
  out(`   in flight: ${result.inFlight}`);
  for (const note of result.notes ?? []) out(`   note     : ${note}`);
  const ledger = result.checks.filter((c) => c.name.startsWith("ledger: "));
  for (const check of result.checks.filter((c) => !c.name.startsWith("ledger: "))) {
    out(`   ${check.ok ? "ok  " : "FAIL"}  ${check.name}${check.detail ? ` — ${check.detail}` : ""}`);
  }
  const broken = ledger.filter((c) => !c.ok);
  out(`   ${broken.length === 0 ? "ok  " : "FAIL"}  ledger checker: ${ledger.length - broken.length}/${ledger.length} invariants hold`);
  for (const check of broken) out(`   FAIL    ${check.name} — ${check.detail}`);
  out(`   → ${result.violations === 0 ? "PASS" : `FAIL (${result.violations} violation${result.violations === 1 ? "" : "s"})`} in ${seconds.toFixed(1)} s`);
}
