import { parse, subscribe, type ExecutionResult, type GraphQLSchema } from "graphql";
import type Redis from "ioredis";
import { LoaderCache, type Viewer } from "../../src/core/context";

/**
 * Sets up a subscription as a given viewer on the store's real schema (the
 * HTTP/WS sign-in step is skipped until identity's login lands). Returns the
 * event iterator, or the ExecutionResult when the subscription was refused.
 */
export async function subscribeAs(
  schema: GraphQLSchema,
  viewer: Viewer,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return subscribe({
    schema,
    document: parse(source),
    variableValues,
    contextValue: { requestId: "test", ip: "127.0.0.1", viewer, loaders: new LoaderCache() },
  }) as Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}

/** Redis SUBSCRIBE is lazy: wait until a channel has `count` subscribers before publishing to it. */
export async function waitForSubscribers(redis: Redis, channel: string, count = 1): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const [, subscribers] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(subscribers) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nobody subscribed to ${channel}`);
}
