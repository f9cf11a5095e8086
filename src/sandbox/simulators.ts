import type { AppConfig } from "../core/config";
import type { Logger } from "../core/logger";
import type { Simulator } from "./sandbox-server";
import { sandboxTokopaySimulator } from "./tokopay/tokopay.simulator";
import { sandboxXenditSimulator } from "./xendit/xendit.simulator";
import { createDigiflazzSimulator } from "./digiflazz/digiflazz.simulator";
import { createTripaySimulator } from "./tripay/tripay.simulator";
import { createMidtransSimulator } from "./midtrans/midtrans.simulator";
import { createDuitkuSimulator } from "./duitku/duitku.simulator";

/** How a simulator reaches the store back (callbacks, webhooks). */
export interface SimulatorLinks {
  storeUrl: () => string;
}

/** Every provider simulator this project ships, in sandbox mode. */
export function createSimulators(config: AppConfig, logger: Logger, links: SimulatorLinks): Simulator[] {
  return [
    createTripaySimulator({ defaultCallbackUrl: () => `${links.storeUrl()}/webhooks/tripay` }),
    createMidtransSimulator({ defaultCallbackUrl: () => `${links.storeUrl()}/webhooks/midtrans` }),
    createDuitkuSimulator({ defaultCallbackUrl: () => `${links.storeUrl()}/webhooks/duitku` }),
    sandboxTokopaySimulator(config, links),
    sandboxXenditSimulator(config, links),
    createDigiflazzSimulator(links, logger),
  ];
}
