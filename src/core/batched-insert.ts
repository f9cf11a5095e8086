import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { insertRows } from "./row-insert";

interface Waiting<T> {
  row: T;
  stored: () => void;
  failed: (error: unknown) => void;
}

/**
 * Stores rows whose senders can wait a few ms (callbacks settled at the
 * intake: a refused signature, an unknown payment; and suspect ones bound for
 * a paced queue) several to a statement: a row waits up to `windowMs` for
 * others, and its promise settles when its statement has committed, so the
 * sender is still answered only once its row is stored. Under a flood of
 * forgeries that is one statement and one commit per window instead of one
 * per request (each costs the intake and the database a round of system
 * calls). A batch that fails is retried row by row, so one bad row fails only
 * its own request.
 */
export class BatchedInsert<T extends ObjectLiteral> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly options: { windowMs: number; maxRows: number } = { windowMs: 20, maxRows: 100 },
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ row, stored: resolve, failed: reject });
      if (this.waiting.length >= this.options.maxRows) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs);
    });
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    const manager = this.dataSource.manager;
    try {
      await insertRows(manager, this.entity, batch.map((entry) => entry.row));
      for (const entry of batch) entry.stored();
    } catch (error) {
      if (batch.length === 1) return batch[0].failed(error);
      await Promise.all(batch.map((entry) => insertRows(manager, this.entity, entry.row).then(entry.stored, entry.failed)));
    }
  }
}
