import { ConfigError, type AppConfig } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface OrderingConfig {
  /** How long an unpaid order waits before it expires (ORDER_EXPIRY_MINUTES, default 24 h). */
  expiryMinutes: number;
  /** How often the expiry job runs (ORDER_EXPIRY_SWEEP_SECONDS). */
  expirySweepSeconds: number;
  /** Key of the HMAC that derives tracking tokens (from ENCRYPTION_KEY). */
  trackingSecret: string;
}

export function loadOrderingConfig(config: AppConfig, source: NodeJS.ProcessEnv = process.env): OrderingConfig {
  const env = new EnvReader(source);
  const result = {
    expiryMinutes: env.int("ORDER_EXPIRY_MINUTES", 1440, 1, 60 * 24 * 30),
    expirySweepSeconds: env.int("ORDER_EXPIRY_SWEEP_SECONDS", 30, 1, 3600),
    trackingSecret: `tracking:${config.encryptionKey}`,
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return result;
}
