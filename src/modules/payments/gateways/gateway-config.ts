import { ConfigError, type AppConfig } from "../../../core/config";
import { EnvReader } from "../../../core/env";

/**
 * Reads one gateway's settings the same way for every adapter: in sandbox mode
 * the base URL defaults to the simulator and credentials to the documented fake
 * values the simulator accepts; in live mode the real host is the default and a
 * missing credential is a boot-time problem. Throws ConfigError listing all problems.
 */
export function readGatewaySettings<T>(
  app: Pick<AppConfig, "providersMode">,
  source: NodeJS.ProcessEnv,
  read: (helpers: {
    env: EnvReader;
    baseUrl: (name: string, live: string, sandbox: string) => string;
    credential: (name: string, sandboxValue: string) => string;
    /** a comma-separated list ("a, b,c" → ["a","b","c"]) */
    list: (name: string, fallback: string) => string[];
  }) => T,
): T {
  const env = new EnvReader(source);
  const live = app.providersMode === "live";
  const result = read({
    env,
    baseUrl: (name, liveUrl, sandboxUrl) => env.url(name, live ? liveUrl : sandboxUrl, ["http:", "https:"]).replace(/\/+$/, ""),
    credential: (name, sandboxValue) => {
      const value = env.str(name, live ? "" : sandboxValue);
      if (value === "") env.problems.push(`${name} is required when PROVIDERS_MODE=live`);
      return value;
    },
    list: (name, fallback) =>
      env
        .str(name, fallback)
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
  });
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return result;
}
