import { EnvReader } from "./env";

export const APP_ROLES = ["all", "api", "worker", "webhooks"] as const;
export type AppRole = (typeof APP_ROLES)[number];
export type ProvidersMode = "sandbox" | "live";

export interface AppConfig {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: string;
  /**
   * Where providers call the store back (<it>/webhooks/<provider>), when not
   * PUBLIC_URL: a webhooks process, so a flood of callbacks never queues
   * in front of the storefront's requests.
   */
  callbackUrl?: string;
  role: AppRole;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  encryptionKey: string;
  bcryptCost: number;
  providersMode: ProvidersMode;
  sandboxPort: number;
  /** Base URL of the provider simulators (sandbox mode). */
  sandboxUrl: string;
  /** Whether this process hosts the simulators. */
  runSimulators: boolean;
  logLevel: string;
  logFormat: "json" | "pretty";
  seedDemo: boolean;
  introspection: boolean;
  bodyLimitBytes: number;
  queryLimits: { maxDepth: number; maxAliases: number; maxFields: number };
  shutdownTimeoutMs: number;
  /** a job whose worker died is run again by a live worker after about this long */
  jobStalledAfterMs: number;
  /** how long a request or job waits for its after-commit Redis work (job adds, publishes) */
  afterCommitWaitMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
  }
}

const DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0000";
const DEV_ENCRYPTION_KEY = "0".repeat(63) + "1";

/** Reads and validates the whole configuration; throws ConfigError listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = new EnvReader(source);
  const mode = env.oneOf("NODE_ENV", ["development", "production", "test"] as const, "development");
  const production = mode === "production";
  const port = env.int("PORT", 4000, 0, 65535);
  const config: AppConfig = {
    env: mode,
    port,
    host: env.str("HOST", "0.0.0.0"),
    publicUrl: env.url("PUBLIC_URL", `http://127.0.0.1:${port}`, ["http:", "https:"]),
    callbackUrl: env.optionalUrl("CALLBACK_URL", ["http:", "https:"]),
    role: env.oneOf("APP_ROLE", APP_ROLES, "all"),
    databaseUrl: env.url("DATABASE_URL", "mysql://root@127.0.0.1:3306/lapak", ["mysql:", "mariadb:"]),
    databasePoolSize: env.int("DATABASE_POOL_SIZE", 8, 1, 200),
    redisUrl: env.url("REDIS_URL", "redis://127.0.0.1:6379", ["redis:", "rediss:"]),
    redisPrefix: env.str("REDIS_PREFIX", "lapak"),
    jwtSecret: env.secret("JWT_SECRET", DEV_JWT_SECRET, production, 32),
    accessTokenTtlSeconds: env.int("JWT_ACCESS_TTL_SECONDS", 900, 60),
    refreshTokenTtlSeconds: env.int("JWT_REFRESH_TTL_SECONDS", 30 * 24 * 3600, 300),
    encryptionKey: env.secret("ENCRYPTION_KEY", DEV_ENCRYPTION_KEY, production, 64),
    bcryptCost: env.int("BCRYPT_COST", mode === "test" ? 4 : 11, 4, 15),
    providersMode: env.oneOf("PROVIDERS_MODE", ["sandbox", "live"] as const, "sandbox"),
    sandboxPort: env.int("SANDBOX_PORT", 4100, 0, 65535),
    sandboxUrl: "",
    runSimulators: false,
    logLevel: env.oneOf("LOG_LEVEL", ["error", "warn", "info", "http", "debug"] as const, "info"),
    logFormat: env.oneOf("LOG_FORMAT", ["json", "pretty"] as const, mode === "development" ? "pretty" : "json"),
    seedDemo: env.bool("SEED_DEMO", !production),
    introspection: env.bool("GRAPHQL_INTROSPECTION", !production),
    bodyLimitBytes: env.int("BODY_LIMIT_BYTES", 1_000_000, 1024),
    queryLimits: {
      maxDepth: env.int("GRAPHQL_MAX_DEPTH", 12, 2),
      maxAliases: env.int("GRAPHQL_MAX_ALIASES", 30, 0),
      maxFields: env.int("GRAPHQL_MAX_FIELDS", 1500, 10),
    },
    shutdownTimeoutMs: env.int("SHUTDOWN_TIMEOUT_MS", 15_000, 0),
    jobStalledAfterMs: env.int("JOB_STALLED_AFTER_MS", 30_000, 1000),
    afterCommitWaitMs: env.int("AFTER_COMMIT_WAIT_MS", 1000, 0),
  };
  config.sandboxUrl = env.url("SANDBOX_URL", `http://127.0.0.1:${config.sandboxPort}`, ["http:", "https:"]);
  config.runSimulators =
    config.providersMode === "sandbox" && env.bool("SANDBOX_SIMULATORS", config.role === "all");
  if (!/^[0-9a-fA-F]{64}$/.test(config.encryptionKey)) {
    env.problems.push("ENCRYPTION_KEY must be 64 hex characters (32 bytes)");
  }
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
