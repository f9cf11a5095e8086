import { buildStore } from "./build";
import { drive, type LoadOptions, type LoadResult } from "./driver";
import { Child, withMemorySampling } from "./processes";
import { BenchStore } from "./store";
import type { Row, Verdict } from "./table";

/** A scenario: one file under bench/scenarios, listed in bench/scenarios/index.ts. */
export interface Scenario {
  name: string;
  /** What it measures, one line (shown by --list). */
  title: string;
  /** Runs it and answers its table rows. */
  run(bench: Bench): Promise<Row[]>;
}

export interface Measured extends LoadResult {
  apiPeakMb?: number;
  workerPeakMb?: number;
}

/** What a scenario gets: the run's settings, the store (started on first use), the baselines and the driver. */
export class Bench {
  /** values one scenario measured and another may reuse, e.g. the in-memory listing baseline */
  readonly shared = new Map<string, unknown>();
  /** set by a scenario that ran the ledger checker and found violations */
  ledgerViolations = 0;
  /** scenarios that drove orders through the worker's fulfilment this run (the memory scenario names them) */
  readonly fulfilmentScenarios: string[] = [];
  private storePromise?: Promise<BenchStore>;
  private removeBuild?: () => void;
  private barePromise?: Promise<{ child: Child; url: string }>;

  constructor(
    readonly seconds: number,
    readonly warmupSeconds: number,
    readonly database: string,
    /** run the API and worker from sources under ts-node instead of a compiled build */
    readonly tsNode: boolean,
    /** node flags for the API and worker processes (e.g. --cpu-prof --cpu-prof-dir=...) */
    readonly nodeFlags: string[],
    readonly log: (message: string) => void,
  ) {}

  store(): Promise<BenchStore> {
    this.storePromise ??= (async () => {
      let main = ["-r", "ts-node/register/transpile-only", "src/main.ts"];
      if (!this.tsNode) {
        this.log("compiling the store (tsconfig.build.json) into a temporary directory");
        const build = await buildStore();
        this.removeBuild = build.remove;
        main = [build.main];
      }
      this.log(`starting the store on database ${this.database} (API and worker processes, ${this.tsNode ? "ts-node" : "compiled"})`);
      const store = await BenchStore.start(this.database, main, this.nodeFlags);
      this.log(`store up: ${store.url}`);
      return store;
    })();
    return this.storePromise;
  }

  /** The bare Apollo baseline server (bench/baselines/bare-server.ts), in its own process. */
  bareServer(): Promise<{ child: Child; url: string }> {
    this.barePromise ??= (async () => {
      const child = Child.start("bare Apollo baseline", "bench/baselines/bare-server.ts", {});
      const [, port] = await child.waitForLine(/^listening (\d+)/);
      return { child, url: `http://127.0.0.1:${port}/graphql` };
    })();
    return this.barePromise;
  }

  /** Drives a load (warm-up first) while sampling the API's and the worker's memory. */
  async measure(label: string, options: Omit<LoadOptions, "seconds" | "warmupSeconds"> & { seconds?: number }): Promise<Measured> {
    this.log(`  ${label}: ${options.rate ? `${Math.round(options.rate)}/s` : "closed loop"}, ${options.connections} connections, ${this.warmupSeconds}s warm-up + ${options.seconds ?? this.seconds}s`);
    const store = this.storePromise ? await this.storePromise : undefined;
    const children = store ? [store.api, store.worker] : [];
    const { result, peaksMb } = await withMemorySampling(children, () => drive({ seconds: this.seconds, warmupSeconds: this.warmupSeconds, ...options }));
    return { ...result, apiPeakMb: store && peaksMb.get(store.api), workerPeakMb: store && peaksMb.get(store.worker) };
  }

  async close(): Promise<void> {
    const bare = this.barePromise && (await this.barePromise.catch(() => undefined));
    await bare?.child.stop();
    const store = this.storePromise && (await this.storePromise.catch(() => undefined));
    await store?.stop();
    this.removeBuild?.();
  }
}

/** A table row from a measurement. */
export function loadRow(scenario: string, measure: string, result: Measured, extra: Partial<Row> & { verdict: Verdict }): Row {
  return {
    scenario,
    measure,
    load: result.mode,
    throughput: result.throughput,
    p50: result.p50,
    p95: result.p95,
    p99: result.p99,
    errors: describeErrors(result),
    apiPeakMb: result.apiPeakMb,
    workerPeakMb: result.workerPeakMb,
    ...extra,
  };
}

/** "0", or e.g. "3 (2 INTERNAL_SERVER_ERROR, 1 DROPPED)"; expected refusals are listed apart. */
export function describeErrors(result: LoadResult): string {
  const entries = Object.entries(result.outcomes);
  const unexpected = entries.filter(([key]) => key.startsWith("error:"));
  const expected = entries.filter(([key]) => key.startsWith("expected:"));
  const count = unexpected.reduce((sum, [, n]) => sum + n, 0);
  let text = count === 0 ? "0" : `${count} (${unexpected.map(([key, n]) => `${n} ${key.slice(6)}`).join(", ")})`;
  if (expected.length > 0) text += ` + ${expected.map(([key, n]) => `${n} ${key.slice(9)}`).join(", ")} expected`;
  return text;
}

/** Unexpected errors of a measurement (expected refusals excluded). */
export function unexpectedErrors(result: LoadResult): number {
  return Object.entries(result.outcomes).filter(([key]) => key.startsWith("error:")).reduce((sum, [, n]) => sum + n, 0);
}

/**
 * The arrival rate for a latency target: the target throughput when the
 * measured capacity reaches it; otherwise 80 % of the capacity, so the p99 is
 * that of a load the store carries (the capacity row already reports the miss)
 * rather than of a queue growing for the whole run.
 */
export function latencyRate(targetRate: number, capacity: number): { rate: number; note?: string } {
  if (capacity >= targetRate) return { rate: targetRate };
  return {
    rate: Math.max(1, 0.8 * capacity),
    note: `the target rate ${Math.round(targetRate)}/s is above the measured capacity ${Math.round(capacity)}/s: p99 taken at 80% of capacity`,
  };
}

/** Notes of a paced measurement: why its rate, and requests that never got a connection. */
export function pacedNote(result: LoadResult, why?: string): string | undefined {
  const dropped = result.dropped > 0 ? `${result.dropped} requests were due but never got a connection before the time was up` : undefined;
  return [why, dropped].filter(Boolean).join("; ") || undefined;
}

export const verdict = (pass: boolean): Verdict => (pass ? "PASS" : "MISS");

/** The JSON body of a GraphQL POST. */
export const graphqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });
