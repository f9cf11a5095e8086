import { createPubSub } from "@graphql-yoga/subscription";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import type { PubSub } from "type-graphql";
import type Redis from "ioredis";

/**
 * Publish/subscribe across every API and worker process through Redis.
 * Topics are namespaced by REDIS_PREFIX; one channel per topic and id
 * (e.g. "lapak:ORDER_UPDATED:<orderId>") so a subscriber hears only its own.
 * Payloads cross Redis as JSON: publish plain JSON-safe values.
 */
export class EventBus {
  private readonly raw: ReturnType<typeof createPubSub<Record<string, [unknown]>>>;
  /**
   * The PubSub handed to type-graphql. It adds the same prefix, so a
   * `@Subscription({ topics: "NOTIFICATION", topicId })` hears exactly what
   * `eventBus.publish("NOTIFICATION", id, payload)` sends.
   */
  readonly pubSub: PubSub;

  constructor(
    publishClient: Redis,
    subscribeClient: Redis,
    private readonly prefix: string,
  ) {
    this.raw = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
    this.pubSub = {
      publish: (topic, ...args) =>
        args.length > 1 ? this.publish(topic, String(args[0]), args[1]) : this.publish(topic, undefined, args[0]),
      subscribe: (topic, id) => this.subscribe(topic, id === undefined ? undefined : String(id)),
    };
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
