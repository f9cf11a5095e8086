import { Repeater, createPubSub, type PubSub } from "@graphql-yoga/subscription";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import type Redis from "ioredis";
import { AppError, serviceUnavailable } from "./errors";

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
  /** what live subscribeFrom() iterators do when the subscribe connection is back after an outage */
  private readonly onReconnect = new Set<() => void>();

  constructor(
    publishClient: Redis,
    private readonly subscribeClient: Redis,
    private readonly prefix: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    // The event target fires PUBLISH / SUBSCRIBE / UNSUBSCRIBE and forgets the promise; while Redis
    // is unreachable they reject, and an unhandled rejection would end the process. Report them
    // instead: an event lost in an outage is covered by subscriptions that start from the current state.
    const report = (error: Error) => void onError(error);
    const publisher = { publish: (channel: string, message: string) => publishClient.publish(channel, message).catch(report) };
    const subscriber = {
      on: (event: string, listener: (...args: unknown[]) => void) => subscribeClient.on(event, listener),
      subscribe: (channel: string) => subscribeClient.subscribe(channel).catch(report),
      unsubscribe: (channel: string) => subscribeClient.unsubscribe(channel).catch(report),
    };
    // ioredis subscribes its channels again on "ready"; what was published meanwhile is gone
    subscribeClient.on("ready", () => {
      for (const catchUp of this.onReconnect) catchUp();
    });
    const eventTarget = createRedisEventTarget({ publishClient: publisher as unknown as Redis, subscribeClient: subscriber as unknown as Redis });
    const raw = createPubSub<Record<string, [unknown]>>({ eventTarget });
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

  /**
   * Calls `listener` with every event of `topic` (a process-wide signal such
   * as a cache drop) until the returned stop is called; `onEnd` runs once
   * listening has ended, stopped or with the bus closed.
   */
  listen<T>(topic: string, listener: (event: T) => void, onEnd: () => void = () => undefined): () => void {
    const iterator = this.subscribe<T>(topic)[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        listener(next.value);
      }
    })()
      .catch(() => undefined)
      .finally(onEnd);
    return () => void iterator.return?.();
  }

  /**
   * Subscribes, reads the current state only once Redis has confirmed the
   * subscription (so nothing published in between is missed), yields that
   * state first and then every event. `skip` drops a live event that is not
   * newer than what was last yielded (a repeat, or one that was in flight
   * while the state was read). When the connection comes back after a Redis
   * outage the state is read again the same way, so a subscriber that stayed
   * connected gets what was published while Redis was away (the newest state,
   * if it moved on). Ending the iterator unsubscribes at once.
   */
  subscribeFrom<T>(topic: string, id: string, current: () => Promise<T | null>, skip: (event: T, last: T) => boolean): AsyncIterable<T> {
    return new Repeater<T>(async (push, stop) => {
      const iterator = this.subscribe<T>(topic, id)[Symbol.asyncIterator]();
      let last: T | null = null;
      let buffered: T[] | null = [];
      const deliver = (event: T) => {
        if (last !== null && skip(event, last)) return;
        last = event;
        void push(event);
      };
      const pump = (async () => {
        for (;;) {
          const result = await iterator.next(); // the first call sends the SUBSCRIBE
          if (result.done) return;
          if (buffered) buffered.push(result.value);
          else deliver(result.value);
        }
      })();
      const readCurrent = async () => {
        await this.subscribeClient.subscribe(this.channel(topic, id));
        const now = await current();
        if (now !== null) deliver(now);
      };
      const catchUp = () => void readCurrent().catch(() => undefined); // Redis or MySQL away again: the next "ready" retries
      try {
        await readCurrent();
        for (const event of buffered) deliver(event);
        buffered = null;
        this.onReconnect.add(catchUp);
      } catch (error) {
        // Redis or MySQL away at subscribe time: a client can act on "try again", not on an internal error
        if (error instanceof AppError) stop(error);
        else {
          this.onError(error as Error);
          stop(serviceUnavailable("Live updates are unavailable right now; subscribe again in a moment"));
        }
      }
      await stop;
      this.onReconnect.delete(catchUp);
      await iterator.return?.();
      await pump.catch(() => undefined);
    });
  }
}
