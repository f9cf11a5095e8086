import "reflect-metadata";
import { ConfigError, loadConfig } from "./core/config";
import { BootError } from "./core/infrastructure";
import { createLogger } from "./core/logger";
import { startStore } from "./boot";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const store = await startStore({ config, logger });
  if (config.role === "webhooks") {
    logger.info(`Lapak callback intake is up (role webhooks): providers call ${config.callbackUrl ?? config.publicUrl}/webhooks/<provider>`);
  } else if (store.url) {
    logger.info(`Lapak is up (role ${config.role}). GraphQL playground: ${config.publicUrl}/graphql`);
  } else {
    logger.info(`Lapak worker is up (role ${config.role})`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    const timer = setTimeout(() => {
      logger.error("shutdown took too long, exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    store.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error("shutdown failed", { error: error.message });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // One clear line for the problems an operator can fix; a stack only for bugs.
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`lapak: configuration: ${problem}`);
  } else if (error instanceof BootError) {
    console.error(`lapak: ${error.message}`);
  } else {
    console.error("lapak: failed to start:", error);
  }
  process.exit(1);
});
