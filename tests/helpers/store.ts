import { startStore, type RunningStore } from "../../src/boot";
import { createLogger } from "../../src/core/logger";
import { TEST_REDIS_PREFIX, testConfig } from "./env";

const running: RunningStore[] = [];
let shared: Promise<RunningStore> | undefined;
let started = 0;

/**
 * Starts a whole store (API, worker, sandbox providers) in this process on
 * random ports. Each gets a Redis prefix of its own unless told one: stores of
 * one mocha process on one prefix take each other's jobs, and ask their own
 * simulators (or database) about them.
 */
export async function startTestStore(overrides: Record<string, string> = {}): Promise<RunningStore> {
  const config = testConfig({ REDIS_PREFIX: `${TEST_REDIS_PREFIX}_store${++started}`, ...overrides });
  const logger = createLogger({ level: config.logLevel, format: "json" });
  const store = await startStore({ config, logger });
  running.push(store);
  return store;
}

/** One store shared by the tests that need nothing special; stopped after the run. */
export function sharedStore(): Promise<RunningStore> {
  shared ??= startTestStore({ REDIS_PREFIX: TEST_REDIS_PREFIX });
  return shared;
}

export async function stopStore(store: RunningStore): Promise<void> {
  const index = running.indexOf(store);
  if (index >= 0) running.splice(index, 1);
  await store.stop();
}

export async function stopSharedStores(): Promise<void> {
  while (running.length > 0) await running.pop()!.stop();
  shared = undefined;
}
