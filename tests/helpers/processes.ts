import Redis from "ioredis";
import type { RunningStore } from "../../src/boot";
import { compose } from "../../src/composition-root";
import { Infrastructure } from "../../src/core/infrastructure";
import { createLogger } from "../../src/core/logger";
import { TEST_REDIS_PREFIX, recreateTestDatabase, siblingDatabaseUrl, testConfig } from "./env";

/**
 * The process-level fault tests (tests/faults/) use the same process helper
 * as the fault drills: store processes, a private redis-server, simulators in
 * this process (drill/lib/processes.ts). What is only for tests lives here.
 */
export { RedisServer, StoreProcess, freePort, startSimulators, type StoreProcessOptions } from "../../drill/lib/processes";

// --- the test process's own view of a multi-process store ------------------------

let databaseReady: Promise<string> | undefined;

/**
 * The database of the process tests: a sibling of the test database, recreated
 * once per run, so the sweepers of the processes started here and those of the
 * other suites' stores never see each other's rows.
 */
export function processTestDatabase(): Promise<string> {
  databaseReady ??= (async () => {
    const url = siblingDatabaseUrl("procs");
    await recreateTestDatabase(url);
    return url;
  })();
  return databaseReady;
}

/** Deletes every key under a prefix (queues and caches left by an earlier run). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export const SHARED_REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const processPrefix = (name: string) => `${TEST_REDIS_PREFIX}_proc_${name}`;

/**
 * The services of a store built in the test process, WITHOUT an API or worker
 * of its own: for test set-up (catalog, payment methods, wallet funding) and
 * for reading the database. `url` and `sandboxUrl` point at the processes, so
 * the helpers that take a RunningStore talk to them.
 */
export async function controlStore(options: { databaseUrl: string; redisUrl: string; redisPrefix: string; url: string; sandboxUrl: string }): Promise<RunningStore> {
  const config = testConfig({ DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, REDIS_PREFIX: options.redisPrefix, APP_ROLE: "api", SANDBOX_SIMULATORS: "false" });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL || "error", format: "json" });
  const infra = await Infrastructure.connect(config, logger);
  const composition = await compose(infra, { baseUrl: options.sandboxUrl, storeUrl: () => options.url });
  return { infra, url: options.url, sandboxUrl: options.sandboxUrl, composition, stop: () => infra.close() };
}
