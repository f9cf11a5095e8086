import type { AppConfig } from "../core/config";
import type { Logger } from "../core/logger";
import type { Simulator } from "./sandbox-server";
import { createMidtransSimulator } from "./midtrans/midtrans.simulator";
import { createDuitkuSimulator } from "./duitku/duitku.simulator";

/** How a simulator reaches the store back (callbacks, webhooks). */
export interface SimulatorLinks {
  storeUrl: () => string;
}

/** Every provider simulator this project ships, in sandbox mode. */
export function createSimulators(_config: AppConfig, _logger: Logger, links: SimulatorLinks): Simulator[] {
  return [
    createMidtransSimulator({ defaultCallbackUrl: () => `${links.storeUrl()}/webhooks/midtrans` }),
    createDuitkuSimulator({ defaultCallbackUrl: () => `${links.storeUrl()}/webhooks/duitku` }),
  ];
}
