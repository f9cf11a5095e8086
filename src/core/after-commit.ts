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
 * The actions run before `dataSource.transaction(...)` resolves; a failing
 * action is logged and never turns a committed transaction into an error
 * (whatever it scheduled is recovered by the module's sweeper).
 */

type Action = () => Promise<unknown> | unknown;
interface Pending {
  depth: number;
  action: Action;
}

const KEY = "afterCommit";

// TypeORM keeps the savepoint depth protected; read it to scope actions to savepoints.
const depthOf = (runner: QueryRunner) => (runner as unknown as { transactionDepth: number }).transactionDepth ?? 0;
const pendingOf = (runner: QueryRunner): Pending[] => {
  const data = runner.data as Record<string, Pending[] | undefined>;
  return (data[KEY] ??= []);
};

/** Runs `action` after the manager's transaction commits, or now when the manager is not in a transaction. */
export async function afterCommit(manager: EntityManager, action: Action): Promise<void> {
  const runner = manager.queryRunner;
  if (runner?.isTransactionActive) {
    if (!manager.dataSource.subscribers.some((subscriber) => subscriber instanceof AfterCommitSubscriber)) {
      throw new Error("AfterCommitSubscriber is not registered on this DataSource");
    }
    pendingOf(runner).push({ depth: depthOf(runner), action });
    return;
  }
  await action();
}

export class AfterCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly logger: Logger) {}

  async afterTransactionCommit({ queryRunner }: TransactionCommitEvent): Promise<void> {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction may still roll back
    const pending = pendingOf(queryRunner).splice(0);
    for (const { action } of pending) {
      try {
        await action();
      } catch (error) {
        this.logger.error("after-commit action failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    const depth = depthOf(queryRunner);
    const pending = pendingOf(queryRunner);
    // Keep what outer levels registered; drop what the rolled-back level (and deeper) registered.
    const kept = pending.filter((entry) => entry.depth <= depth);
    pending.splice(0, pending.length, ...kept);
  }
}
