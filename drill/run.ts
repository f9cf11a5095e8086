import "reflect-metadata";
import { runDrills, type RunOptions } from "./lib/engine";

/**
 * `npm run drill [-- --only 4,5] [--seed N] [--repeat K] [--quick]`: runs the fault drills of
 * issue 7 against a store of its own (see README "Fault drills"); exits 1 when
 * any drill finds a violation, errors, or is not implemented. --repeat K runs each
 * drill K times, with seeds N, N+1, ... (each printed).
 */
function parse(argv: string[]): RunOptions {
  const options: RunOptions = {};
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg.startsWith("--only")) options.only = value().split(",").map((part) => Number(part.trim()));
    else if (arg.startsWith("--seed")) options.seed = Number(value());
    else if (arg === "--quick") options.quick = true;
    else if (arg.startsWith("--repeat")) repeat = Number(value());
    else if (arg === "--quiet") options.verbose = false;
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run drill [-- --only 4,5] [--seed N] [--repeat K] [--quick] [--quiet]");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new Error("--seed takes an integer");
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat takes a count >= 1");
  if (repeat > 1) options.seedsPerDrill = Object.fromEntries((options.only ?? Array.from({ length: 11 }, (_, i) => i + 1)).map((id) => [id, repeat]));
  if (options.only?.some((id) => !Number.isInteger(id))) throw new Error("--only takes drill numbers, e.g. --only 4,5");
  return options;
}

async function main(): Promise<number> {
  const summary = await runDrills(parse(process.argv.slice(2)));
  return summary.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`drill: ${error.stack ?? error.message}`);
    process.exit(2);
  },
);
