import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface RefundConfig {
  /** how often the refund sweeper looks for FAILED orders without a refund (their job lost with Redis) */
  sweepEveryMs: number;
  /** a FAILED order is swept only this long after it failed (its own job normally refunds it first) */
  sweepGraceMs: number;
}

/** Reads REFUND_* at boot. */
export function loadRefundConfig(source: NodeJS.ProcessEnv = process.env): RefundConfig {
  const env = new EnvReader(source);
  const config: RefundConfig = {
    sweepEveryMs: env.int("REFUND_SWEEP_EVERY_MS", 60_000, 100),
    sweepGraceMs: env.int("REFUND_SWEEP_GRACE_MS", 60_000, 0),
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
