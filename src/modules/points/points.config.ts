import type { EntityManager } from "typeorm";

/**
 * The store's points rules. The store settings (cms) are their one source of
 * truth: the composition root injects a getter that reads them, so an admin
 * change applies to the next earn or redemption without a restart.
 */
export interface PointsRules {
  /** One point for every this many rupiah paid; 0 turns earning off. */
  rupiahPerPointEarned: number;
  /** Rupiah one point is worth when redeemed. */
  pointValueRupiah: number;
  /** Largest share of an order total points may pay, in basis points (5000 = 50%). */
  maxRedeemShareBps: number;
}

/** Reads the current rules; pass the caller's transaction manager to read inside it. */
export type PointsRulesSource = (manager?: EntityManager) => Promise<PointsRules>;

/** The points fields of the store settings (named as cms names them). */
export interface PointsSettings {
  pointsEarnPerRupiah: number;
  pointValueRupiah: number;
  pointsMaxRedeemShareBp: number;
}

export function pointsRulesFromSettings(settings: PointsSettings): PointsRules {
  return {
    rupiahPerPointEarned: settings.pointsEarnPerRupiah,
    pointValueRupiah: settings.pointValueRupiah,
    maxRedeemShareBps: settings.pointsMaxRedeemShareBp,
  };
}
