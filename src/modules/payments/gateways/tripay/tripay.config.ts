import type { AppConfig } from "../../../../core/config";
import { readGatewaySettings } from "../gateway-config";

export interface TripayConfig {
  baseUrl: string;
  apiKey: string;
  privateKey: string;
  merchantCode: string;
  timeoutMs: number;
}

/** Fake sandbox credentials; the simulator accepts exactly these. */
export const TRIPAY_SANDBOX_CREDENTIALS = {
  apiKey: "DEV-lapak-sandbox-api-key",
  privateKey: "FAKE-priv-key-0000-0000",
  merchantCode: "T99999",
} as const;

/** TRIPAY_* settings: sandbox defaults to the simulator, live requires real credentials. */
export function loadTripayConfig(config: Pick<AppConfig, "providersMode">, sandboxUrl: string, source: NodeJS.ProcessEnv = process.env): TripayConfig {
  return readGatewaySettings(config, source, ({ env, baseUrl, credential }) => ({
    baseUrl: baseUrl("TRIPAY_BASE_URL", "https://tripay.co.id/api", `${sandboxUrl}/tripay/api-sandbox`),
    apiKey: credential("TRIPAY_API_KEY", TRIPAY_SANDBOX_CREDENTIALS.apiKey),
    privateKey: credential("TRIPAY_PRIVATE_KEY", TRIPAY_SANDBOX_CREDENTIALS.privateKey),
    merchantCode: credential("TRIPAY_MERCHANT_CODE", TRIPAY_SANDBOX_CREDENTIALS.merchantCode),
    timeoutMs: env.int("TRIPAY_TIMEOUT_MS", 15_000, 100, 120_000),
  }));
}
