/**
 * `npm run bench`: the benchmark suite of issue 7. Starts its own store (API
 * and worker processes on a recreated database, real MySQL and Redis, sandbox
 * providers) and its own baselines, runs every scenario of
 * bench/scenarios/index.ts, prints one table and writes it as JSON under
 * bench/results/. Exits 0 even when targets are missed; 1 when the ledger
 * checker finds a violation or a scenario could not run.
 *
 *   npm run bench                          every scenario
 *   npm run bench -- --only checkout       one (or a comma-separated list)
 *   npm run bench -- --seconds 20          measured seconds per load (default 10)
 *   npm run bench -- --warmup 5            warm-up seconds before each (default 3)
 *   npm run bench -- --ts-node             run the API and worker from sources (default: compiled, as start:prod)
 *   npm run bench -- --cpu-prof            write a CPU profile of each API and worker process to bench/results/profiles/
 *   npm run bench -- --list                the scenarios
 */
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Bench } from "./lib/bench";
import { ROOT } from "./lib/processes";
import { formatTable, type Row } from "./lib/table";
import { SCENARIOS } from "./scenarios";

const SCENARIO_LIMIT_S = 120;
const RUN_LIMIT_S = 720;

interface Options {
  only: string[];
  seconds: number;
  warmup: number;
  list: boolean;
  tsNode: boolean;
  cpuProf: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { only: [], seconds: 10, warmup: 3, list: false, tsNode: false, cpuProf: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg.startsWith("--only")) options.only.push(...value().split(",").map((name) => name.trim()).filter(Boolean));
    else if (arg.startsWith("--seconds")) options.seconds = Number(value());
    else if (arg.startsWith("--warmup")) options.warmup = Number(value());
    else if (arg === "--list") options.list = true;
    else if (arg === "--ts-node") options.tsNode = true;
    else if (arg === "--cpu-prof") options.cpuProf = true;
    else throw new Error(`unknown argument ${arg} (use --only <name>, --seconds N, --warmup N, --ts-node, --cpu-prof, --list)`);
  }
  if (!(options.seconds > 0) || !(options.warmup >= 0)) throw new Error("--seconds must be above 0 and --warmup at least 0");
  const unknown = options.only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.name.padEnd(16)} ${scenario.title}`);
    return 0;
  }
  const selected = SCENARIOS.filter((scenario) => options.only.length === 0 || options.only.includes(scenario.name));
  const started = new Date();
  const log = (message: string) => console.error(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)}s] ${message}`);
  const database = process.env.BENCH_DATABASE ?? "lapak_bench";
  if (!/^lapak_bench\w*$/.test(database)) throw new Error(`BENCH_DATABASE must start with lapak_bench (the bench drops and recreates it): ${database}`);
  const nodeFlags = options.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.join(ROOT, "bench", "results", "profiles")}`] : [];
  const bench = new Bench(options.seconds, options.warmup, database, options.tsNode, nodeFlags, log);
  const stop = () => void bench.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const rows: Row[] = [];
  const timings: { scenario: string; seconds: number }[] = [];
  let crashed = 0;
  try {
    for (const scenario of selected) {
      log(`scenario ${scenario.name}: ${scenario.title}`);
      const t0 = Date.now();
      try {
        rows.push(...(await scenario.run(bench)));
      } catch (error) {
        crashed += 1;
        log(`scenario ${scenario.name} failed: ${(error as Error).stack ?? error}`);
        rows.push({ scenario: scenario.name, measure: "could not run", verdict: "FAILED", note: (error as Error).message.split("\n")[0] });
      }
      const seconds = (Date.now() - t0) / 1000;
      timings.push({ scenario: scenario.name, seconds });
      log(`scenario ${scenario.name} done in ${seconds.toFixed(0)}s`);
    }
  } finally {
    await bench.close();
  }

  const totalSeconds = (Date.now() - started.getTime()) / 1000;
  const slow = timings.filter((timing) => timing.seconds > SCENARIO_LIMIT_S);
  const summary = [
    `scenario times: ${timings.map((t) => `${t.scenario} ${t.seconds.toFixed(0)}s`).join(", ")}; whole run ${totalSeconds.toFixed(0)}s` +
      (slow.length > 0 ? ` (over ${SCENARIO_LIMIT_S}s: ${slow.map((t) => t.scenario).join(", ")})` : "") +
      (totalSeconds > RUN_LIMIT_S ? ` (over the ${RUN_LIMIT_S}s budget)` : ""),
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average before ${startLoad.map((l) => l.toFixed(2)).join(" ")}; ` +
      `store ${options.tsNode ? "under ts-node" : "compiled"}; each load ${options.warmup}s warm-up + ${options.seconds}s measured; each ratio compares loads run back to back in this run`,
  ];
  console.log(`\n${formatTable(rows)}\n\n${summary.join("\n")}`);

  const dir = path.join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: started.toISOString(), totalSeconds, options, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageBefore: startLoad }, timings, ledgerViolations: bench.ledgerViolations, rows }, null, 2)}\n`,
  );
  console.log(`results: ${path.relative(ROOT, file)}`);
  if (bench.ledgerViolations > 0) console.log(`the ledger checker found ${bench.ledgerViolations} violated invariant(s)`);
  return bench.ledgerViolations > 0 || crashed > 0 ? 1 : 0;
}

const startLoad = os.loadavg();

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
  },
);
