import { ConfigError, type AppConfig } from "../../../core/config";
import { EnvReader } from "../../../core/env";

/**
 * Env helpers shared by the gateway configs: in sandbox mode base URLs point at
 * the simulators and credentials fall back to the documented fake values the
 * simulators also use; in live mode the real host is the default and a missing
 * credential is a boot-time problem.
 */
export type GatewayEnvContext = Pick<AppConfig, "providersMode" | "sandboxUrl">;

export function gatewayBaseUrl(env: EnvReader, app: GatewayEnvContext, name: string, liveUrl: string, sandboxPath: string): string {
  const fallback = app.providersMode === "sandbox" ? `${app.sandboxUrl.replace(/\/$/, "")}${sandboxPath}` : liveUrl;
  return env.url(name, fallback, ["http:", "https:"]).replace(/\/$/, "");
}

export function gatewayCredential(env: EnvReader, app: GatewayEnvContext, name: string, sandboxValue: string): string {
  const value = env.str(name, app.providersMode === "sandbox" ? sandboxValue : "");
  if (value === "") env.problems.push(`${name} is required when PROVIDERS_MODE=live`);
  return value;
}

/** A comma-separated list ("a, b,c" → ["a","b","c"]). */
export function gatewayList(env: EnvReader, name: string, fallback: string): string[] {
  return env
    .str(name, fallback)
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Reads one gateway's settings at boot; throws ConfigError listing every problem. */
export function loadGatewayConfig<T, A>(read: (env: EnvReader, app: A) => T, app: A, source: NodeJS.ProcessEnv = process.env): T {
  const env = new EnvReader(source);
  const config = read(env, app);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
