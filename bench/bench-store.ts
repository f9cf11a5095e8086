import "reflect-metadata";
import { startStore, type RunningStore } from "../src/boot";
import { loadConfig } from "../src/core/config";
import { createLogger } from "../src/core/logger";

/**
 * A whole store for a benchmark, on a database it recreates (BENCH_DATABASE_URL,
 * default mysql://root@127.0.0.1:3306/<name>), production settings, no demo seed.
 */
export function startBenchStore(name: string, extra: Record<string, string> = {}): Promise<RunningStore> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "production",
    JWT_SECRET: "bench-only-secret-0000000000000000000",
    ENCRYPTION_KEY: "0".repeat(63) + "1",
    PORT: "0",
    SANDBOX_PORT: "0",
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `mysql://root@127.0.0.1:3306/${name}`,
    REDIS_PREFIX: name,
    LOG_LEVEL: "error",
    SEED_DEMO: "false",
    ...extra,
  });
  return startStore({ config, logger: createLogger({ level: "error", format: "json" }), recreateDatabase: true });
}
