import type { DataSource } from "typeorm";
import { currentScope } from "../../src/core/request-context";

/** SQL statements issued for HTTP requests while `run` runs (the in-process worker's jobs share the DataSource and are left out). */
export async function countRequestStatements(dataSource: DataSource, run: () => Promise<unknown>): Promise<number> {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let count = 0;
  logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
    const scope = currentScope();
    if (scope && !scope.jobId) count += 1;
    return original(...args);
  };
  try {
    await run();
  } finally {
    logger.logQuery = original;
  }
  return count;
}
