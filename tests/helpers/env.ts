import { loadConfig, type AppConfig } from "../../src/core/config";
import { createDataSource, ensureDatabase } from "../../src/core/database";

/** Override both to run two suites side by side (e.g. in two work trees). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || "mysql://root@127.0.0.1:3306/lapak_test";
export const TEST_REDIS_PREFIX = process.env.TEST_REDIS_PREFIX || "lapak_test";

/** Another database beside the test database, for tests that need one of their own. */
export const siblingDatabaseUrl = (suffix: string) => `${TEST_DATABASE_URL}_${suffix}`;

/** Configuration for a store started by a test: random ports, quiet logs, the test database. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    SANDBOX_PORT: "0",
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    REDIS_PREFIX: TEST_REDIS_PREFIX,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL || "error",
    SEED_DEMO: "false",
    ...overrides,
  });
}

/** Drops and recreates a database, then applies every migration. */
export async function recreateTestDatabase(url: string): Promise<void> {
  const target = await ensureDatabase(url, { recreate: true });
  const dataSource = await createDataSource(target, 2).initialize();
  try {
    await dataSource.runMigrations({ transaction: "each" });
  } finally {
    await dataSource.destroy();
  }
}
