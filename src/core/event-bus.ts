import { createPubSub, type PubSub } from "@graphql-yoga/subscription";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import type Redis from "ioredis";

/**
 * Publish/subscribe across every API and worker process through Redis.
 * Topics are namespaced by REDIS_PREFIX; one channel per topic and id
 * (e.g. "lapak:ORDER_UPDATED:<orderId>") so a subscriber hears only its own.
 * Payloads cross Redis as JSON: publish plain JSON-safe values.
 */
export class EventBus {
  private readonly raw: PubSub<Record<string, [unknown]>>;
  /**
   * The PubSub handed to type-graphql: its topics get the same prefix, so
   * `@Subscription({ topics: "X", topicId })` hears `publish("X", id, ...)`.
   */
  readonly pubSub: PubSub<Record<string, [unknown]>>;

  constructor(
    publishClient: Redis,
    subscribeClient: Redis,
    private readonly prefix: string,
  ) {
    const raw = createPubSub<Record<string, [unknown]>>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
    this.raw = raw;
    const prefixed = (topic: string) => `${prefix}:${topic}`;
    this.pubSub = {
      publish: (topic: string, ...args: unknown[]) => (raw.publish as (key: string, ...rest: unknown[]) => void)(prefixed(topic), ...args),
      subscribe: (topic: string, id?: unknown) => (raw.subscribe as (key: string, id?: unknown) => unknown)(prefixed(topic), id),
    } as unknown as PubSub<Record<string, [unknown]>>;
  }

  channel(topic: string, id?: string): string {
    return id === undefined ? `${this.prefix}:${topic}` : `${this.prefix}:${topic}:${id}`;
  }

  publish(topic: string, id: string | undefined, payload: unknown): void {
    this.raw.publish(this.channel(topic, id), payload);
  }

  subscribe<T>(topic: string, id?: string): AsyncIterable<T> {
    return this.raw.subscribe(this.channel(topic, id)) as AsyncIterable<T>;
  }
}
