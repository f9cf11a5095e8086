import type { EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from "typeorm";
import type { Logger } from "./logger";

/**
 * Side effects that must only happen once the caller's transaction has
 * committed: pub/sub publishes and Bull job adds. A service registers them with
 * `afterCommit(manager, action)`; the AfterCommitSubscriber runs them when the
 * outermost transaction of that query runner commits, and drops them when the
 * transaction (or the savepoint they were registered in) rolls back. Callers
 * need no flush step, and a rolled-back transaction publishes nothing.
 *
 * The actions start at COMMIT and `dataSource.transaction(...)` resolves once
 * they are done, but only after the connection is back in the pool, and at
 * most AFTER_COMMIT_WAIT_MS later: while Redis is away ioredis holds commands
 * until it reconnects, and a request must not wait for that (nor hold a MySQL
 * connection meanwhile). The committed rows are the truth: an action that
 * fails or is still waiting is logged, never turns the committed transaction
 * into an error, and whatever it scheduled is recovered by the module's sweeper.
 */

type Action = () => Promise<unknown> | unknown;
interface Pending {
  depth: number;
  action: Action;
}

const KEY = "afterCommit";
const WORK_KEY = "afterCommitWork";

// TypeORM keeps the savepoint depth protected; read it to scope actions to savepoints.
const depthOf = (runner: QueryRunner) => (runner as unknown as { transactionDepth: number }).transactionDepth ?? 0;
const pendingOf = (runner: QueryRunner): Pending[] => {
  const data = runner.data as Record<string, Pending[] | undefined>;
  return (data[KEY] ??= []);
};

/** Runs `action` after the manager's transaction commits, or now when the manager is not in a transaction. */
export async function afterCommit(manager: EntityManager, action: Action): Promise<void> {
  const runner = manager.queryRunner;
  const subscriber = manager.dataSource.subscribers.find((candidate) => candidate instanceof AfterCommitSubscriber);
  if (runner?.isTransactionActive) {
    if (!subscriber) throw new Error("AfterCommitSubscriber is not registered on this DataSource");
    pendingOf(runner).push({ depth: depthOf(runner), action });
    return;
  }
  if (subscriber) await subscriber.waitFor(subscriber.run([action]));
  else await action();
}

export class AfterCommitSubscriber implements EntitySubscriberInterface {
  constructor(
    private readonly logger: Logger,
    /** how long a caller waits for its after-commit actions (AFTER_COMMIT_WAIT_MS) */
    private readonly waitMs: number,
  ) {}

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction may still roll back
    const pending = pendingOf(queryRunner).splice(0);
    if (pending.length === 0) return;
    const data = queryRunner.data as Record<string, Promise<void>[] | undefined>;
    const work = (data[WORK_KEY] ??= []);
    work.push(this.run(pending.map((entry) => entry.action)));
    if (work.length > 1) return; // release() already waits for this runner's work
    // TypeORM commits before it releases the connection: wait for the actions in release(), once the connection is back in the pool
    const release = queryRunner.release.bind(queryRunner);
    queryRunner.release = async () => {
      queryRunner.release = release;
      await release();
      await this.waitFor(Promise.all(work.splice(0)));
    };
  }

  /** Runs the actions one after another, logging each failure. */
  async run(actions: Action[]): Promise<void> {
    for (const action of actions) {
      try {
        await action();
      } catch (error) {
        this.logger.error("after-commit action failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** Waits for `work` at most waitMs; what is still waiting then goes on in the background. */
  async waitFor(work: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.waitMs);
    });
    const timedOut = await Promise.race([work.then(() => false), late]);
    clearTimeout(timer);
    if (timedOut) this.logger.warn("after-commit actions still waiting (Redis away?); answering with the committed result", { waitMs: this.waitMs });
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    const depth = depthOf(queryRunner);
    const pending = pendingOf(queryRunner);
    // Keep what outer levels registered; drop what the rolled-back level (and deeper) registered.
    const kept = pending.filter((entry) => entry.depth <= depth);
    pending.splice(0, pending.length, ...kept);
  }
}
