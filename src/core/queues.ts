import Queue from "bull";

/**
 * Owns every Bull queue of the process, all under one Redis prefix. The
 * database stays the source of truth for pending work (outbox rows); a queue
 * is how that work is scheduled, so losing Redis loses no order.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue.Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  get<T = unknown>(name: string): Queue.Queue<T> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, this.redisUrl, { prefix: `${this.prefix}:bull` });
      queue.on("error", () => undefined); // surfaced by /ready and job failures instead
      this.queues.set(name, queue);
    }
    return queue as Queue.Queue<T>;
  }

  all(): Queue.Queue[] {
    return [...this.queues.values()];
  }

  /** Answers when every queue's Redis connection responds. */
  async ping(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.client.ping()));
  }

  /** Stops taking new jobs, lets active ones finish, then closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
    this.queues.clear();
  }
}
