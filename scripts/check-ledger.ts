import "reflect-metadata";
import { createDataSource, ensureDatabase } from "../src/core/database";
import { runLedgerChecks } from "../src/ops/ledger-check";

// `npm run check:ledger`: read-only invariant checker; exits 1 on any violation.
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL || "mysql://root@127.0.0.1:3306/lapak";
  const dataSource = await createDataSource(await ensureDatabase(url), 2).initialize();
  try {
    const results = await runLedgerChecks(dataSource);
    for (const result of results) {
      const mark = result.violations === 0 ? "ok  " : "FAIL";
      const sample = result.sample.length > 0 ? `  e.g. ${result.sample.join(", ")}` : "";
      console.log(`${mark} ${String(result.violations).padStart(6)}  ${result.name}${sample}`);
    }
    const failed = results.filter((result) => result.violations > 0).length;
    console.log(failed === 0 ? "all invariants hold" : `${failed} invariant(s) violated`);
    return failed === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`check:ledger: ${error.message}`);
    process.exit(2);
  },
);
