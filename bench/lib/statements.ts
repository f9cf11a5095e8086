import { HttpServer } from "../../src/core/http-server";
import { currentScope } from "../../src/core/request-context";
import type { BenchStore } from "./store";

export interface CountedRequest {
  body: string;
  token?: string;
  /** whether the answer is what was meant (a failed request is not counted) */
  ok: (status: number, body: string) => boolean;
  /** runs first, e.g. to make the catalog cache cold */
  before?: () => Promise<unknown>;
}

/**
 * SQL statements of single GraphQL requests, counted in this process on an
 * API server built from the store's composition (same schema, real sign-in),
 * through TypeORM's query logger — as tests/catalog/listing.test.ts does.
 */
export async function countStatements(store: BenchStore, requests: CountedRequest[]): Promise<number[]> {
  const { infra, composition } = store;
  const server = new HttpServer({ config: infra.config, logger: infra.logger, ...composition, webhooks: [] });
  await server.start();
  const url = `http://127.0.0.1:${server.port}/graphql`;
  const logger = infra.dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let count = 0;
  logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
    if (currentScope()?.requestId) count += 1; // statements of an HTTP request only
    return original(...args);
  };
  try {
    const counts: number[] = [];
    for (const request of requests) {
      await request.before?.();
      count = 0;
      const headers = { "content-type": "application/json", ...(request.token ? { authorization: `Bearer ${request.token}` } : {}) };
      const response = await fetch(url, { method: "POST", headers, body: request.body });
      const text = await response.text();
      if (!request.ok(response.status, text)) throw new Error(`request failed: ${text.slice(0, 300)}`);
      counts.push(count);
    }
    return counts;
  } finally {
    logger.logQuery = original;
    await server.stop();
  }
}
