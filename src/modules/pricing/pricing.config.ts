import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface PricingConfig {
  /** computed sell prices are rounded up to a multiple of this many rupiah */
  roundingStep: number;
}

export function loadPricingConfig(source: NodeJS.ProcessEnv = process.env): PricingConfig {
  const env = new EnvReader(source);
  const config = { roundingStep: env.int("PRICE_ROUNDING_STEP", 100, 1, 1_000_000) };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
