import { ALL_DRILL_IDS, DRILLS } from "../drills";
import { ledgerChecks, printResult, type Drill, type DrillResult } from "./report";
import { Rng, randomSeed } from "./rng";
import { DrillStore } from "./store";

export interface RunOptions {
  /** drill numbers to run, in this order (default: all) */
  only?: number[];
  /** the run's seed (default: random); printed, and `--seed` replays it */
  seed?: number;
  /** the shortened drills `npm test` runs */
  quick?: boolean;
  /** run these drills once per seed: seed, seed+1, ... (e.g. {10: 3, 11: 2}) */
  seedsPerDrill?: Record<number, number>;
  out?: (line: string) => void;
  /** progress lines while a drill runs */
  verbose?: boolean;
  /** passed to the store (database, prefix, log directory) */
  databaseUrl?: string;
  redisPrefix?: string;
}

export type DrillStatus = "PASS" | "FAIL" | "NOT IMPLEMENTED" | "ERROR";

export interface DrillOutcome {
  id: number;
  name: string;
  seed: number;
  status: DrillStatus;
  violations: number;
  seconds: number;
  result: DrillResult | null;
}

export interface RunSummary {
  seed: number;
  outcomes: DrillOutcome[];
  /** drills that did not pass (failed, errored or not implemented) */
  failed: number;
  logDir: string;
}

/**
 * Starts a store, runs the drills one after another against it (healing it
 * between them), runs the ledger checker after each, and prints everything.
 */
export async function runDrills(options: RunOptions = {}): Promise<RunSummary> {
  const out = options.out ?? ((line: string) => console.log(line));
  const seed = options.seed ?? randomSeed();
  const ids = options.only?.length ? options.only : ALL_DRILL_IDS;
  for (const id of ids) if (!DRILLS[id]) throw new Error(`there is no drill ${id} (1–${ALL_DRILL_IDS.length})`);

  out(`Lapak fault drills · seed ${seed} (replay: npm run drill -- --seed ${seed}${options.only?.length ? ` --only ${ids.join(",")}` : ""}${options.quick ? " --quick" : ""})`);
  const started = Date.now();
  const store = await DrillStore.start({ databaseUrl: options.databaseUrl, redisPrefix: options.redisPrefix });
  out(`store: api pid ${store.api.pid} (${store.url}), webhooks pid ${store.webhooks.pid} (${store.webhooks.url}), worker pid ${store.worker.pid}, database ${new URL(store.databaseUrl).pathname.slice(1)}, ` +
    `private redis :${store.redisServer.port}; proxies mysql :${store.proxies.mysql.port}, redis :${store.proxies.redis.port}, sandbox :${store.proxies.sandbox.port}; ` +
    `logs ${store.logDir} (up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const outcomes: DrillOutcome[] = [];
  try {
    for (const id of ids) {
      const drill = DRILLS[id];
      const runs = options.seedsPerDrill?.[id] ?? 1;
      for (let k = 0; k < runs; k++) {
        const drillSeed = seed + k;
        const title = runs > 1 ? `${drill.title} (seed ${drillSeed})` : drill.title;
        if (!drill.run) {
          printResult({ id, title }, null, 0, out);
          outcomes.push({ id, name: drill.name, seed: drillSeed, status: "NOT IMPLEMENTED", violations: 1, seconds: 0, result: null });
          continue;
        }
        const t0 = Date.now();
        let result: DrillResult | null = null;
        let error: unknown;
        try {
          result = await (drill as Drill).run({
            store,
            seed: drillSeed,
            rng: new Rng(drillSeed).fork(`drill-${id}`),
            quick: !!options.quick,
            log: (line) => options.verbose !== false && out(`   … ${line}`),
          });
          const ledger = await ledgerChecks(store);
          result.checks.push(...ledger);
          result.violations = result.checks.filter((check) => !check.ok).length;
        } catch (caught) {
          error = caught;
        }
        const seconds = (Date.now() - t0) / 1000;
        printResult({ id, title }, result, seconds, out, error);
        outcomes.push({
          id,
          name: drill.name,
          seed: drillSeed,
          status: error ? "ERROR" : result!.violations === 0 ? "PASS" : "FAIL",
          violations: error ? 1 : result!.violations,
          seconds,
          result,
        });
        await store.heal().catch((healError: Error) => out(`   (could not heal the store after drill ${id}: ${healError.message})`));
      }
    }
  } finally {
    if (process.env.DRILL_KEEP_ON_FAIL && outcomes.some((outcome) => outcome.status !== "PASS")) {
      out(`DRILL_KEEP_ON_FAIL: store left running (api ${store.url}, redis ${store.redisServer.url}, database ${store.databaseUrl}); send SIGTERM to pid ${process.pid} to stop it`);
      await new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
    }
    await store.stop();
  }

  out("");
  out("summary");
  for (const outcome of outcomes) {
    const detail = outcome.status === "FAIL" ? ` (${outcome.violations} violation${outcome.violations === 1 ? "" : "s"})` : "";
    out(`  ${String(outcome.id).padStart(2)}  ${outcome.name.padEnd(18)} seed ${String(outcome.seed).padEnd(11)} ${outcome.status}${detail}${outcome.result ? `  ${outcome.seconds.toFixed(1)} s` : ""}`);
  }
  const failed = outcomes.filter((outcome) => outcome.status !== "PASS").length;
  out(failed === 0 ? `all ${outcomes.length} drill run(s) passed in ${((Date.now() - started) / 1000).toFixed(0)} s` : `${failed} of ${outcomes.length} drill run(s) did not pass`);
  return { seed, outcomes, failed, logDir: store.logDir };
}
