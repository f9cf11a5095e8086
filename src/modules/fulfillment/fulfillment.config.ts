import { ConfigError, type AppConfig } from "../../core/config";
import { EnvReader } from "../../core/env";

const DAY = 24 * 3600_000;
/** Digiflazz creates a NEW purchase when a prepaid ref_id older than 90 days is re-sent: never come near it. */
export const HARD_RECHECK_LIMIT_MS = 85 * DAY;

export interface FulfillmentConfig {
  /** minimum time between two requests for one ref_id, and the first re-check delay (the supplier asks for >= 1 minute) */
  recheckMinMs: number;
  /** the exponential back-off of re-checks stops growing here */
  recheckMaxMs: number;
  /** after this long since the first attempt, re-checks stop and the purchase goes to staff (NEEDS_STAFF) */
  maxAgeMs: number;
  /** how often the sweeper runs */
  sweepEveryMs: number;
  /** a row whose job is this much overdue (job lost with Redis, worker died) is re-enqueued by the sweeper */
  stuckAfterMs: number;
  /** how long a worker may hold a claimed row: the supplier HTTP timeout plus SUPPLIER_LEASE_MARGIN_MS */
  leaseMs: number;
  /** first retry delay of a result the listener could not take (doubles per retry) */
  resultRetryMs: number;
  concurrency: number;
  /** orders PROCESSING longer than this are re-checked (and flagged for staff) by the reconciliation job */
  processingStuckMs: number;
  /** how often the reconciliation job runs */
  reconcileEveryMs: number;
}

/** Reads SUPPLIER_* at boot. In live mode re-checks may never be closer than a minute. */
export function loadFulfillmentConfig(app: Pick<AppConfig, "providersMode">, supplierTimeoutMs: number, source: NodeJS.ProcessEnv = process.env): FulfillmentConfig {
  const env = new EnvReader(source);
  const live = app.providersMode === "live";
  const config: FulfillmentConfig = {
    recheckMinMs: env.int("SUPPLIER_RECHECK_MIN_MS", 60_000, live ? 60_000 : 10),
    recheckMaxMs: env.int("SUPPLIER_RECHECK_MAX_MS", 3600_000, 10),
    maxAgeMs: env.int("SUPPLIER_RECHECK_MAX_AGE_DAYS", 30, 1, 80) * DAY,
    sweepEveryMs: env.int("SUPPLIER_SWEEP_EVERY_MS", 60_000, 100),
    stuckAfterMs: env.int("SUPPLIER_STUCK_AFTER_MS", 5 * 60_000, 0),
    // a worker that dies mid-request holds its row this long; then the sweeper re-sends the same ref_id
    leaseMs: supplierTimeoutMs + env.int("SUPPLIER_LEASE_MARGIN_MS", 60_000, 100),
    resultRetryMs: env.int("SUPPLIER_RESULT_RETRY_MS", 30_000, 10),
    concurrency: env.int("SUPPLIER_CONCURRENCY", 10, 1, 200),
    processingStuckMs: env.int("FULFILMENT_STUCK_AFTER_MINUTES", 30, 1) * 60_000,
    reconcileEveryMs: env.int("FULFILMENT_RECONCILE_EVERY_MS", 5 * 60_000, 100),
  };
  if (config.recheckMaxMs < config.recheckMinMs) env.problems.push("SUPPLIER_RECHECK_MAX_MS must be at least SUPPLIER_RECHECK_MIN_MS");
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
