import type { AppConfig } from "./core/config";
import type { Logger } from "./core/logger";
import { HttpServer } from "./core/http-server";
import { Infrastructure } from "./core/infrastructure";
import { SandboxServer } from "./sandbox/sandbox-server";
import { createSimulators } from "./sandbox/simulators";
import { compose, type Composition } from "./composition-root";
import { User } from "./modules/identity/user.entity";

export interface RunningStore {
  infra: Infrastructure;
  /** Where this process answers HTTP (roles all, api and webhooks). */
  url?: string;
  sandboxUrl?: string;
  /** The wired services (tests and scripts call them directly). */
  composition: Composition;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: AppConfig;
  logger: Logger;
  /** Tests start from an empty database. */
  recreateDatabase?: boolean;
}

/**
 * Starts a store process: connections, sandbox simulators, migrations and the
 * demo seed, then depending on APP_ROLE the API (GraphQL and provider
 * callbacks), the callback intake alone (webhooks) and/or the worker.
 */
export async function startStore({ config, logger, recreateDatabase }: StartOptions): Promise<RunningStore> {
  const infra = await Infrastructure.connect(config, logger, { recreateDatabase });
  const stoppers: (() => Promise<void>)[] = [() => infra.close()];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch((error: Error) => logger.warn("shutdown step failed", { error: error.message }));
  };
  try {
    // how providers reach the store back: the callback intake
    let storeUrl = config.callbackUrl ?? config.publicUrl;
    let sandboxUrl = config.sandboxUrl;
    if (config.runSimulators) {
      const sandbox = new SandboxServer(createSimulators(config, logger, { storeUrl: () => storeUrl }), logger);
      sandboxUrl = `http://127.0.0.1:${await sandbox.start(config.sandboxPort)}`;
      stoppers.push(() => sandbox.stop());
    }
    const composition = await compose(infra, { baseUrl: sandboxUrl, storeUrl: () => storeUrl });

    await infra.migrate(async () => {
      if (!config.seedDemo || (await infra.dataSource.getRepository(User).count()) > 0) return;
      await infra.dataSource.transaction((manager) => composition.seedDemo(manager));
      logger.info("demo store seeded");
    });

    let url: string | undefined;
    if (config.role !== "worker") {
      const http = new HttpServer({ config, logger, ...composition, graphql: config.role !== "webhooks" });
      await http.start();
      stoppers.push(() => http.stop());
      url = `http://127.0.0.1:${http.port}`;
      if (config.port === 0 && !config.callbackUrl) storeUrl = url;
    }
    if (config.role === "all" || config.role === "worker") await composition.startWorker();
    return { infra, url, sandboxUrl: config.runSimulators ? sandboxUrl : undefined, composition, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
