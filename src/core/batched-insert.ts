import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { Batcher } from "./batcher";
import { insertRows } from "./row-insert";

/**
 * Stores rows whose senders can wait a few ms (callbacks settled at the
 * intake: a refused signature, an unknown payment; and suspect ones bound for
 * a paced queue) several to a statement. Each row's promise settles once its
 * statement has committed, so the sender is still answered only once its row
 * is stored; under a flood of forgeries that is one INSERT and one commit per
 * window instead of one per request.
 */
export function batchedInsert<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  options = { windowMs: 20, maxItems: 100 },
): Batcher<T> {
  return new Batcher<T>((rows) => insertRows(dataSource.manager, entity, rows), options);
}
