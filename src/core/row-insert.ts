import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm";
import { perEntity } from "./entity-plan";

/**
 * INSERT of entity objects, built from TypeORM's metadata as its
 * InsertQueryBuilder does (the same column value preparation, `DEFAULT` for a
 * value left undefined, BeforeInsert listeners run), without the builder:
 * on the hot write paths (checkout, callback intake) the builder's query
 * assembly cost more CPU than the statement itself. Nothing is read back.
 */
export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: T | T[]): Promise<void> {
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) return;
  const metadata = manager.dataSource.getMetadata(entity);
  const plan = planOf(metadata);
  const driver = manager.dataSource.driver;
  const params: unknown[] = [];
  const tuples = list.map((row) => {
    for (const listener of plan.beforeInsert) if (listener.isAllowed(row)) listener.execute(row);
    const slots = plan.columns.map((column) => {
      const value = driver.preparePersistentValue(column.getEntityValue(row), column);
      if (value === undefined) return "DEFAULT";
      params.push(value);
      return "?";
    });
    return `(${slots.join(", ")})`;
  });
  await manager.query(`${plan.head} VALUES ${tuples.join(", ")}`, params);
}

interface InsertPlan {
  head: string;
  columns: ColumnMetadata[];
  beforeInsert: EntityMetadata["beforeInsertListeners"];
}

const planOf = perEntity((metadata): InsertPlan => {
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isVirtual && !column.isVirtualProperty);
  const names = columns.map((column) => `\`${column.databaseName}\``).join(", ");
  return { head: `INSERT INTO \`${metadata.tableName}\` (${names})`, columns, beforeInsert: metadata.beforeInsertListeners };
});
