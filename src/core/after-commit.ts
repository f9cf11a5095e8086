import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from "typeorm";
import type { TransactionCommitEvent } from "typeorm/subscriber/event/TransactionCommitEvent";
import type { TransactionRollbackEvent } from "typeorm/subscriber/event/TransactionRollbackEvent";

/**
 * Runs work after the caller's transaction commits (and drops it on rollback),
 * e.g. enqueueing the Bull job of an outbox row written in that transaction.
 * Outside a transaction the work runs at once. The work is fire-and-forget:
 * an outbox sweeper must cover a process that dies between commit and work.
 * Limitation: work registered inside a nested savepoint that is rolled back
 * still runs when the outer transaction commits.
 */
const pending = new WeakMap<QueryRunner, (() => Promise<void>)[]>();

export function afterCommit(manager: EntityManager, work: () => Promise<void>, onError: (error: Error) => void): void {
  const runner = manager.queryRunner;
  const run = () => void work().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  if (!runner || !runner.isTransactionActive) return run();
  const list = pending.get(runner) ?? [];
  list.push(async () => run());
  pending.set(runner, list);
}

class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction is still open
    const list = pending.get(event.queryRunner);
    pending.delete(event.queryRunner);
    for (const work of list ?? []) void work();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) pending.delete(event.queryRunner);
  }
}

const installed = new WeakSet<DataSource>();

/** Registers the commit/rollback listener on a DataSource once. */
export function installAfterCommit(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  installed.add(dataSource);
  dataSource.subscribers.push(new AfterCommitSubscriber());
}
