import type { AppConfig } from "../../../../core/config";
import type { EnvReader } from "../../../../core/env";
import { gatewayBaseUrl, gatewayCredential, loadGatewayConfig, type GatewayEnvContext } from "../gateway-env";

export interface XenditConfig {
  /** https://api.xendit.co for test and live keys alike */
  baseUrl: string;
  /** xnd_development_… (test mode) or xnd_production_… (live) */
  secretKey: string;
  /** The dashboard's callback verification token for the key's mode. */
  callbackToken: string;
  timeoutMs: number;
}

/** Fake values of the provider doc's worked example; the simulator uses them too. */
export const XENDIT_SANDBOX_CREDENTIALS = {
  secretKey: "xnd_development_FAKEFAKEFAKEFAKE0000",
  callbackToken: "fake-callback-token-0000",
};

export function readXenditConfig(env: EnvReader, app: GatewayEnvContext & Partial<Pick<AppConfig, "env">>): XenditConfig {
  const secretKey = gatewayCredential(env, app, "XENDIT_SECRET_KEY", XENDIT_SANDBOX_CREDENTIALS.secretKey);
  // a live key must never sit in a sandbox or non-production stack
  if (secretKey.startsWith("xnd_production_") && (app.providersMode === "sandbox" || (app.env && app.env !== "production"))) {
    env.problems.push("XENDIT_SECRET_KEY is a production key (xnd_production_…) outside production with PROVIDERS_MODE=live");
  }
  return {
    baseUrl: gatewayBaseUrl(env, app, "XENDIT_BASE_URL", "https://api.xendit.co", "/xendit"),
    secretKey,
    callbackToken: gatewayCredential(env, app, "XENDIT_CALLBACK_TOKEN", XENDIT_SANDBOX_CREDENTIALS.callbackToken),
    timeoutMs: env.int("XENDIT_TIMEOUT_MS", 15_000, 100, 120_000),
  };
}

/** Reads the settings at boot; throws ConfigError listing every problem. */
export const loadXenditConfig = (app: Pick<AppConfig, "providersMode" | "sandboxUrl" | "env">, source: NodeJS.ProcessEnv = process.env) =>
  loadGatewayConfig(readXenditConfig, app, source);
