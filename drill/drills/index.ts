import type { Drill } from "../lib/report";
import { workerKillDrill } from "./1-worker-kill";
import { supplierTimeoutDrill } from "./4-supplier-timeout";
import { callbackStormDrill } from "./5-callback-storm";

/** Every drill of issue 7, by number; null = not implemented yet (the runner prints it and fails the run). */
export const DRILLS: Record<number, Drill | { id: number; name: string; title: string; run: null }> = {
  1: workerKillDrill,
  2: { id: 2, name: "redis-restart", title: "Redis shut down without saving mid-batch, then restarted", run: null },
  3: { id: 3, name: "mysql-kill", title: "kill every app MySQL connection every 2 s under checkout load", run: null },
  4: supplierTimeoutDrill,
  5: callbackStormDrill,
  6: { id: 6, name: "forged-callbacks", title: "10,000 forged callbacks beside a half-rate full flow", run: null },
  7: { id: 7, name: "rate-limit", title: "a reseller token past its rate limit", run: null },
  8: { id: 8, name: "api-kill", title: "kill -9 an API process among 100 concurrent checkouts", run: null },
  9: { id: 9, name: "supplier-5xx", title: "supplier answers 5xx for 60 s", run: null },
  10: { id: 10, name: "last-units", title: "500 buyers for the last 10 units, voucher uses and wallet money", run: null },
  11: { id: 11, name: "chaos", title: "seeded chaos over a full-flow workload", run: null },
};

export const ALL_DRILL_IDS = Object.keys(DRILLS).map(Number);
