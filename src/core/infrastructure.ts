import type { DataSource } from "typeorm";
import type Redis from "ioredis";
import type { AppConfig } from "./config";
import type { Logger } from "./logger";
import { createDataSource, ensureDatabase, type DatabaseType } from "./database";
import { redactUrl } from "./env";
import { AfterCommitSubscriber } from "./after-commit";
import { EventBus } from "./event-bus";
import { QueueRegistry } from "./queues";
import { createRedis, pingRedis } from "./redis";

/** A failure at boot that deserves one clear line, not a stack trace. */
export class BootError extends Error {}

/** The connections every module shares: MySQL, Redis, pub/sub and the job queues. */
export class Infrastructure {
  private constructor(
    readonly config: AppConfig,
    readonly logger: Logger,
    readonly dataSource: DataSource,
    readonly databaseType: DatabaseType,
    readonly redis: Redis,
    private readonly subscriber: Redis,
    readonly eventBus: EventBus,
    readonly queues: QueueRegistry,
  ) {}

  static async connect(config: AppConfig, logger: Logger, options: { recreateDatabase?: boolean } = {}): Promise<Infrastructure> {
    const target = await ensureDatabase(config.databaseUrl, { recreate: options.recreateDatabase }).catch((error: Error) => {
      throw new BootError(
        `Cannot reach MySQL at ${redactUrl(config.databaseUrl)} (${describe(error)}). ` +
          `Start it (e.g. "service mariadb start", or "docker compose -f docker/compose.yml up -d mysql") or set DATABASE_URL.`,
      );
    });
    await pingRedis(config.redisUrl).catch((error: Error) => {
      throw new BootError(
        `Cannot reach Redis at ${redactUrl(config.redisUrl)} (${describe(error)}). ` +
          `Start it (e.g. "redis-server --daemonize yes", or "docker compose -f docker/compose.yml up -d redis") or set REDIS_URL.`,
      );
    });
    const dataSource = await createDataSource(target, config.databasePoolSize).initialize();
    dataSource.subscribers.push(new AfterCommitSubscriber(logger, config.afterCommitWaitMs)); // publishes and job adds wait for commit
    const redis = createRedis(config.redisUrl, { name: "lapak" });
    const subscriber = createRedis(config.redisUrl, { name: "lapak-sub" });
    for (const client of [redis, subscriber]) client.on("error", (error) => logger.warn("redis error", { error: error.message }));
    const eventBus = new EventBus(redis, subscriber, config.redisPrefix, (error) => logger.warn("event bus: a pub/sub command or a subscriber's first read failed", { error: error.message }));
    const queues = new QueueRegistry(config.redisUrl, config.redisPrefix, config.jobStalledAfterMs);
    logger.info("connected", { database: target.name, server: target.type, redis: redactUrl(config.redisUrl) });
    return new Infrastructure(config, logger, dataSource, target.type, redis, subscriber, eventBus, queues);
  }

  /** Runs pending migrations, one process at a time (a MySQL named lock), then `after` under the same lock. */
  async migrate(after?: () => Promise<void>): Promise<void> {
    const lockRunner = this.dataSource.createQueryRunner();
    await lockRunner.connect();
    try {
      await lockRunner.query("SELECT GET_LOCK(?, 120)", [`${this.config.redisPrefix}:migrate`]);
      const applied = await this.dataSource.runMigrations({ transaction: "each" });
      if (applied.length > 0) this.logger.info("migrations applied", { migrations: applied.map((m) => m.name) });
      await after?.();
    } finally {
      await lockRunner.query("SELECT RELEASE_LOCK(?)", [`${this.config.redisPrefix}:migrate`]).catch(() => undefined);
      await lockRunner.release();
    }
  }

  async close(): Promise<void> {
    await this.queues.close();
    await Promise.all([this.redis, this.subscriber].map((client) => client.quit().catch(() => client.disconnect())));
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

function describe(error: Error & { code?: string }): string {
  return error.code ?? error.message;
}
