import { ConfigError, type AppConfig } from "../../../../core/config";
import { EnvReader } from "../../../../core/env";

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
export function loadTripayConfig(config: AppConfig, sandboxUrl: string, source: NodeJS.ProcessEnv = process.env): TripayConfig {
  const env = new EnvReader(source);
  const live = config.providersMode === "live";
  const credential = (name: string, fallback: string) => {
    const value = env.str(name, live ? "" : fallback);
    if (live && !value) env.problems.push(`${name} is required when PROVIDERS_MODE=live`);
    return value;
  };
  const result: TripayConfig = {
    baseUrl: env.url("TRIPAY_BASE_URL", live ? "https://tripay.co.id/api" : `${sandboxUrl}/tripay/api-sandbox`, ["http:", "https:"]).replace(/\/$/, ""),
    apiKey: credential("TRIPAY_API_KEY", TRIPAY_SANDBOX_CREDENTIALS.apiKey),
    privateKey: credential("TRIPAY_PRIVATE_KEY", TRIPAY_SANDBOX_CREDENTIALS.privateKey),
    merchantCode: credential("TRIPAY_MERCHANT_CODE", TRIPAY_SANDBOX_CREDENTIALS.merchantCode),
    timeoutMs: env.int("TRIPAY_TIMEOUT_MS", 15_000, 100, 120_000),
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return result;
}
