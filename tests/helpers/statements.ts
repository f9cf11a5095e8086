import type { DataSource } from "typeorm";
import { currentScope } from "../../src/core/request-context";

/** SQL statements `counts` accepts while `run` runs, issued by anything sharing this DataSource. */
export async function countStatements(dataSource: DataSource, run: () => Promise<unknown>, counts: (sql: string) => boolean): Promise<number> {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let count = 0;
  logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
    if (counts(args[0])) count += 1;
    return original(...args);
  };
  try {
    await run();
  } finally {
    logger.logQuery = original;
  }
  return count;
}

/** SQL statements issued for HTTP requests while `run` runs (the in-process worker's jobs share the DataSource and are left out). */
export function countRequestStatements(dataSource: DataSource, run: () => Promise<unknown>): Promise<number> {
  return countStatements(dataSource, run, () => {
    const scope = currentScope();
    return !!scope && !scope.jobId;
  });
}

/** INSERT statements into `table` while `run` runs. */
export function countInserts(dataSource: DataSource, table: string, run: () => Promise<unknown>): Promise<number> {
  return countStatements(dataSource, run, (sql) => sql.startsWith(`INSERT INTO \`${table}\``));
}
