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
    /**
     * A worker holds a lock on each job it runs and renews it while alive; a
     * job whose worker died (kill -9, lost host) is taken up again by a live
     * worker once its lock is this old, checked as often (Bull's lockDuration
     * and stalledInterval; its default is 30 s).
     */
    private readonly stalledAfterMs = 30_000,
  ) {}

  get<T = unknown>(name: string): Queue.Queue<T> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, this.redisUrl, {
        prefix: `${this.prefix}:bull`,
        settings: { lockDuration: this.stalledAfterMs, lockRenewTime: this.stalledAfterMs / 2, stalledInterval: this.stalledAfterMs },
      });
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

type RepeatOptions = Queue.JobOptions & { jobId: string; repeat: { every: number } };

/**
 * Adds a repeatable job (a sweeper, a poll) and keeps it registered. Repeatable
 * jobs live only in Redis: a Redis that restarts empty forgets them, and with
 * them the sweepers that re-create every other lost job from the database. So
 * the worker that registered one checks, whenever the queue's connection is
 * ready again and every `every` ms (at least once a second), that it is still
 * there, and adds it back when it is not. Call it from the worker role only.
 */
export async function keepRepeatable<T>(queue: Queue.Queue<T>, name: string | null, data: T, options: RepeatOptions): Promise<void> {
  const add = () => (name === null ? queue.add(data, options) : queue.add(name, data, options));
  const wanted = (job: Queue.JobInformation) => job.id === options.jobId && Number(job.every) === options.repeat.every && job.name === (name ?? "__default__");
  const closing = () => Boolean((queue as unknown as { closing?: Promise<void> }).closing);
  let checking = false;
  const ensure = async () => {
    if (checking || closing()) return;
    checking = true;
    try {
      if (!(await queue.getRepeatableJobs()).some(wanted)) await add();
    } catch {
      // Redis is away; the next check (or its "ready") tries again
    } finally {
      checking = false;
    }
  };
  await add();
  const timer = setInterval(() => {
    if (closing()) clearInterval(timer);
    else void ensure();
  }, Math.max(options.repeat.every, 1000));
  timer.unref();
  queue.client.on("ready", () => void ensure());
}
