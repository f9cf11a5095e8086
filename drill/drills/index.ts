import type { Drill } from "../lib/report";
import { workerKillDrill } from "./1-worker-kill";
import { redisRestartDrill } from "./2-redis-restart";
import { mysqlKillDrill } from "./3-mysql-kill";
import { supplierTimeoutDrill } from "./4-supplier-timeout";
import { callbackStormDrill } from "./5-callback-storm";
import { forgedCallbacksDrill } from "./6-forged-callbacks";
import { rateLimitDrill } from "./7-rate-limit";
import { apiKillDrill } from "./8-api-kill";
import { supplier5xxDrill } from "./9-supplier-5xx";
import { lastUnitsDrill } from "./10-last-units";
import { chaosDrill } from "./11-chaos";

/**
 * Every drill of issue 7, by number. A drill whose `run` is null is not
 * implemented: the runner prints it as such and the run fails.
 */
export const DRILLS: Record<number, Drill | { id: number; name: string; title: string; run: null }> = {
  1: workerKillDrill,
  2: redisRestartDrill,
  3: mysqlKillDrill,
  4: supplierTimeoutDrill,
  5: callbackStormDrill,
  6: forgedCallbacksDrill,
  7: rateLimitDrill,
  8: apiKillDrill,
  9: supplier5xxDrill,
  10: lastUnitsDrill,
  11: chaosDrill,
};

export const ALL_DRILL_IDS = Object.keys(DRILLS).map(Number);
