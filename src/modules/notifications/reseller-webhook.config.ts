import type { AppConfig } from "../../core/config";
import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface ResellerWebhookConfig {
  /** POSTs per delivery before it is FAILED (a resend starts a new round). */
  maxAttempts: number;
  /** Retry n waits base × (2^n − 1) ms: base, 3×base, 7×base, ... (Bull's exponential backoff). */
  backoffBaseMs: number;
  timeoutMs: number;
  concurrency: number;
  /** How often the sweeper looks for PENDING deliveries whose Bull job is gone. */
  sweepIntervalMs: number;
  /** A PENDING delivery is only re-enqueued once it is this overdue (its job had every chance to run). */
  sweepGraceMs: number;
  /** Loopback/private destinations: allowed in sandbox mode (local receivers), refused in live mode. */
  allowPrivateHosts: boolean;
}

export function loadResellerWebhookConfig(app: Pick<AppConfig, "providersMode">, source: NodeJS.ProcessEnv = process.env): ResellerWebhookConfig {
  const env = new EnvReader(source);
  const config: ResellerWebhookConfig = {
    maxAttempts: env.int("RESELLER_WEBHOOK_MAX_ATTEMPTS", 8, 1, 30),
    backoffBaseMs: env.int("RESELLER_WEBHOOK_BACKOFF_BASE_MS", 30_000, 10, 3_600_000),
    timeoutMs: env.int("RESELLER_WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
    concurrency: env.int("RESELLER_WEBHOOK_CONCURRENCY", 5, 1, 100),
    sweepIntervalMs: env.int("RESELLER_WEBHOOK_SWEEP_INTERVAL_MS", 60_000, 1000),
    sweepGraceMs: env.int("RESELLER_WEBHOOK_SWEEP_GRACE_MS", 30_000, 0),
    allowPrivateHosts: app.providersMode !== "live",
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
