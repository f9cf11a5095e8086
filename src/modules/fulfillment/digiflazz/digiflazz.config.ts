import { ConfigError, type AppConfig } from "../../../core/config";
import { EnvReader } from "../../../core/env";

/** The fake credentials of providers/digiflazz.md §7, shared by the simulator and sandbox mode. */
export const DIGIFLAZZ_SANDBOX = {
  username: "lapaksim",
  devKey: "dev-11111111-2222-3333-4444-555555555555",
  prodKey: "prod-99999999-8888-7777-6666-555555555555",
  webhookSecret: "fake-webhook-secret",
} as const;

export const DIGIFLAZZ_LIVE_URL = "https://api.digiflazz.com/v1";

export interface DigiflazzConfig {
  /** e.g. https://api.digiflazz.com/v1 (no trailing slash) */
  baseUrl: string;
  username: string;
  apiKey: string;
  webhookSecret: string;
  /** sent as cb_url on every transaction; read when the request is made (the store's port may be chosen at boot) */
  callbackUrl: () => string;
  /** sends "testing": true (development key, scripted numbers, no real purchase) */
  testing: boolean;
  /** deadline of one HTTP call; a purchase whose answer does not come in time is re-sent with the same ref_id */
  timeoutMs: number;
}

/**
 * Reads DIGIFLAZZ_* at boot. Sandbox mode points at the simulator with the
 * documented fake credentials; live mode needs every credential (a missing
 * one is a boot-time configuration problem).
 */
export function loadDigiflazzConfig(
  app: Pick<AppConfig, "providersMode">,
  links: { sandboxUrl: string; storeUrl: () => string },
  source: NodeJS.ProcessEnv = process.env,
): DigiflazzConfig {
  const env = new EnvReader(source);
  const sandbox = app.providersMode === "sandbox";
  const credential = (name: string, sandboxValue: string) => {
    const value = env.str(name, sandbox ? sandboxValue : "");
    if (value === "") env.problems.push(`${name} is required when PROVIDERS_MODE=live`);
    return value;
  };
  const baseUrl = env
    .url("DIGIFLAZZ_BASE_URL", sandbox ? `${links.sandboxUrl.replace(/\/$/, "")}/digiflazz/v1` : DIGIFLAZZ_LIVE_URL, ["http:", "https:"])
    .replace(/\/$/, "");
  const explicitCallback = env.optionalUrl("DIGIFLAZZ_CALLBACK_URL", ["http:", "https:"]);
  const config: DigiflazzConfig = {
    baseUrl,
    username: credential("DIGIFLAZZ_USERNAME", DIGIFLAZZ_SANDBOX.username),
    apiKey: credential("DIGIFLAZZ_API_KEY", DIGIFLAZZ_SANDBOX.devKey),
    webhookSecret: credential("DIGIFLAZZ_WEBHOOK_SECRET", DIGIFLAZZ_SANDBOX.webhookSecret),
    callbackUrl: () => explicitCallback ?? `${links.storeUrl().replace(/\/$/, "")}/webhooks/digiflazz`,
    testing: env.bool("DIGIFLAZZ_TESTING", sandbox),
    timeoutMs: env.int("DIGIFLAZZ_TIMEOUT_MS", 30_000, 100, 300_000),
  };
  if (!sandbox && config.testing && !config.apiKey.startsWith("dev-")) {
    env.problems.push("DIGIFLAZZ_TESTING=true needs a development key (dev-...); Digiflazz answers rc 41 otherwise");
  }
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
