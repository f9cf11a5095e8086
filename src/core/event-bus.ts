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
  readonly pubSub: PubSub<Record<string, [unknown]>>;

  constructor(
    publishClient: Redis,
    subscribeClient: Redis,
    private readonly prefix: string,
  ) {
    this.pubSub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  }

  channel(topic: string, id?: string): string {
    return id === undefined ? `${this.prefix}:${topic}` : `${this.prefix}:${topic}:${id}`;
  }

  publish(topic: string, id: string | undefined, payload: unknown): void {
    this.pubSub.publish(this.channel(topic, id), payload);
  }

  subscribe<T>(topic: string, id?: string): AsyncIterable<T> {
    return this.pubSub.subscribe(this.channel(topic, id)) as AsyncIterable<T>;
  }
}
