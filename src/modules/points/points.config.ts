import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

/**
 * The store's points rules. Injected into PointsService by the composition
 * root; read from the environment for now (the CMS store settings will
 * provide them later, so nothing else reads these variables).
 */
export interface PointsRules {
  /** One point for every this many rupiah paid; 0 turns earning off. */
  rupiahPerPointEarned: number;
  /** Rupiah one point is worth when redeemed. */
  pointValueRupiah: number;
  /** Largest share of an order total points may pay, in basis points (5000 = 50%). */
  maxRedeemShareBps: number;
}

export function loadPointsRules(source: NodeJS.ProcessEnv = process.env): PointsRules {
  const env = new EnvReader(source);
  const rules: PointsRules = {
    rupiahPerPointEarned: env.int("POINTS_EARN_RUPIAH_PER_POINT", 1000, 0, 1_000_000_000),
    pointValueRupiah: env.int("POINTS_REDEEM_VALUE_RUPIAH", 1, 1, 1_000_000),
    maxRedeemShareBps: env.int("POINTS_MAX_REDEEM_SHARE_BPS", 5000, 0, 10_000),
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return rules;
}
