import type { AppConfig } from "../../../../core/config";
import { readGatewaySettings } from "../gateway-config";

export interface MidtransConfig {
  /** Core API host without /v2, e.g. https://api.midtrans.com */
  baseUrl: string;
  serverKey: string;
  timeoutMs: number;
}

/** The fake sandbox server key of the worked example (midtrans.md §7); the simulator accepts it. */
export const MIDTRANS_SANDBOX_SERVER_KEY = "SB-Mid-server-FAKEFAKEFAKEFAKE0000";

/** MIDTRANS_* settings; `sandboxUrl` is where the simulators listen (the simulator is mounted at /midtrans). */
export function loadMidtransConfig(app: Pick<AppConfig, "providersMode">, sandboxUrl: string, source: NodeJS.ProcessEnv = process.env): MidtransConfig {
  return readGatewaySettings(app, source, ({ env, baseUrl, credential }) => ({
    baseUrl: baseUrl("MIDTRANS_BASE_URL", "https://api.midtrans.com", `${sandboxUrl}/midtrans`),
    serverKey: credential("MIDTRANS_SERVER_KEY", MIDTRANS_SANDBOX_SERVER_KEY),
    timeoutMs: env.int("MIDTRANS_TIMEOUT_MS", 15_000, 100, 120_000),
  }));
}
