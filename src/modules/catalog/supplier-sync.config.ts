import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface SupplierSyncConfig {
  /** minutes between scheduled syncs; 0 = no scheduled sync (admins can still run one) */
  intervalMinutes: number;
  /** a cost change larger than this percentage (either way) is applied but flagged for review */
  priceJumpPercent: number;
}

/** Digiflazz answers rc 83 to a second full price list within 5 minutes. */
export const MIN_SYNC_INTERVAL_MINUTES = 5;

export function loadSupplierSyncConfig(source: NodeJS.ProcessEnv = process.env): SupplierSyncConfig {
  const env = new EnvReader(source);
  const config: SupplierSyncConfig = {
    intervalMinutes: env.int("CATALOG_SYNC_INTERVAL_MINUTES", 60, 0, 7 * 24 * 60),
    priceJumpPercent: env.int("CATALOG_PRICE_JUMP_PERCENT", 10, 1, 1000),
  };
  if (config.intervalMinutes > 0 && config.intervalMinutes < MIN_SYNC_INTERVAL_MINUTES) {
    env.problems.push(`CATALOG_SYNC_INTERVAL_MINUTES must be 0 (off) or at least ${MIN_SYNC_INTERVAL_MINUTES} (Digiflazz rc 83 window)`);
  }
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
