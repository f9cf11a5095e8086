import Redis, { type RedisOptions } from "ioredis";

/** Creates an ioredis client; `blocking` clients are what Bull needs for its bclient/subscriber. */
export function createRedis(url: string, options: { blocking?: boolean; name?: string } = {}): Redis {
  const extra: RedisOptions = options.blocking
    ? { maxRetriesPerRequest: null, enableReadyCheck: false }
    : { maxRetriesPerRequest: 2 };
  return new Redis(url, { lazyConnect: false, connectionName: options.name, ...extra });
}

/** Pings Redis once with a short deadline; used at boot and by /ready. */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}
