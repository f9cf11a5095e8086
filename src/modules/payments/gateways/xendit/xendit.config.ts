import type { AppConfig } from "../../../../core/config";
import { readGatewaySettings } from "../gateway-config";

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

/** XENDIT_* settings; `app.sandboxUrl` is where the simulators listen (Xendit is mounted at /xendit). */
export function loadXenditConfig(app: Pick<AppConfig, "providersMode" | "sandboxUrl" | "env">, source: NodeJS.ProcessEnv = process.env): XenditConfig {
  return readGatewaySettings(app, source, ({ env, baseUrl, credential }) => {
    const secretKey = credential("XENDIT_SECRET_KEY", XENDIT_SANDBOX_CREDENTIALS.secretKey);
    // a live key must never sit in a sandbox or non-production stack
    if (secretKey.startsWith("xnd_production_") && (app.providersMode === "sandbox" || app.env !== "production")) {
      env.problems.push("XENDIT_SECRET_KEY is a production key (xnd_production_…) outside production with PROVIDERS_MODE=live");
    }
    return {
      baseUrl: baseUrl("XENDIT_BASE_URL", "https://api.xendit.co", `${app.sandboxUrl}/xendit`),
      secretKey,
      callbackToken: credential("XENDIT_CALLBACK_TOKEN", XENDIT_SANDBOX_CREDENTIALS.callbackToken),
      timeoutMs: env.int("XENDIT_TIMEOUT_MS", 15_000, 100, 120_000),
    };
  });
}
