import { EnvReader } from "../../core/env";
import { ConfigError } from "../../core/config";

/** Identity settings beyond the core ones (JWT secret/TTLs and bcrypt cost live in AppConfig). */
export interface IdentityConfig {
  /** Failed logins for one email before each further attempt is slowed. */
  loginSlowAfter: number;
  loginSlowDelayMs: number;
  /** Failed logins for one email, or from one IP, before logins are refused for loginLockSeconds. */
  loginMaxFailuresPerEmail: number;
  loginMaxFailuresPerIp: number;
  loginLockSeconds: number;
  /** Default reseller API token budget; a reseller may have an override. */
  apiRateLimitPerMinute: number;
  passwordResetTtlSeconds: number;
  /** How long a verified session's or API token's user, roles, level (and token budget) are reused without SQL (dropped at once on revocation or change); 0 = off. */
  authCacheTtlSeconds: number;
}

export function loadIdentityConfig(source: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const env = new EnvReader(source);
  const config: IdentityConfig = {
    loginSlowAfter: env.int("LOGIN_SLOW_AFTER", 3, 1, 1000),
    loginSlowDelayMs: env.int("LOGIN_SLOW_DELAY_MS", 500, 0, 10_000),
    loginMaxFailuresPerEmail: env.int("LOGIN_MAX_FAILURES_PER_EMAIL", 8, 1, 1000),
    loginMaxFailuresPerIp: env.int("LOGIN_MAX_FAILURES_PER_IP", 40, 1, 100_000),
    loginLockSeconds: env.int("LOGIN_LOCK_SECONDS", 900, 1, 86_400),
    apiRateLimitPerMinute: env.int("API_RATE_LIMIT_PER_MINUTE", 120, 1, 1_000_000),
    passwordResetTtlSeconds: env.int("PASSWORD_RESET_TTL_SECONDS", 3600, 60, 86_400),
    authCacheTtlSeconds: env.int("AUTH_CACHE_TTL_SECONDS", 10, 0, 300),
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
