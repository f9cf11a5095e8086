import type { AppConfig } from "../../../../core/config";
import { readGatewaySettings } from "../gateway-config";

export interface DuitkuConfig {
  /** API v2 base, e.g. https://passport.duitku.com/webapi/api/merchant */
  baseUrl: string;
  merchantCode: string;
  apiKey: string;
  timeoutMs: number;
}

/** The fake sandbox project of the worked example (duitku.md §8); the simulator accepts it. */
export const DUITKU_SANDBOX_CREDENTIALS = { merchantCode: "DS99999", apiKey: "FAKEAPIKEY000000000000000000000A" } as const;

/** DUITKU_* settings; `sandboxUrl` is where the simulators listen (the simulator is mounted at /duitku). */
export function loadDuitkuConfig(app: Pick<AppConfig, "providersMode">, sandboxUrl: string, source: NodeJS.ProcessEnv = process.env): DuitkuConfig {
  return readGatewaySettings(app, source, ({ env, baseUrl, credential }) => ({
    baseUrl: baseUrl("DUITKU_BASE_URL", "https://passport.duitku.com/webapi/api/merchant", `${sandboxUrl}/duitku/webapi/api/merchant`),
    merchantCode: credential("DUITKU_MERCHANT_CODE", DUITKU_SANDBOX_CREDENTIALS.merchantCode),
    apiKey: credential("DUITKU_API_KEY", DUITKU_SANDBOX_CREDENTIALS.apiKey),
    timeoutMs: env.int("DUITKU_TIMEOUT_MS", 15_000, 100, 120_000),
  }));
}
