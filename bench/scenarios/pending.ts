import type { Scenario } from "../lib/bench";

/*
 * Scenarios of issue 7 that need fulfilment, still to be written. Each will
 * get a file of its own with a `run` (see trivial.ts for the shape) and take
 * the place of its entry here; until then the table lists their targets as
 * "not yet measured". The bench store's worker already hosts the sandbox
 * providers (SANDBOX_SIMULATORS=true), with Digiflazz's pending_delay_ms to be
 * set to 0 by whoever measures SN latency.
 */

export const subscriptions: Scenario = {
  name: "subscriptions",
  title: "2,000 subscribed WebSocket clients",
  pendingTargets: ["2,000 subscribed sockets"],
};
