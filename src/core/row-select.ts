import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { perEntity } from "./entity-plan";

/**
 * Entities read with a plain WHERE clause, hydrated as TypeORM hydrates them
 * (the driver's value preparation and column transformers, AfterLoad
 * listeners run, the constructor not) without its query builder: on the
 * callback intake, where anyone can send requests, the builder's assembly
 * cost more CPU than the statement itself. `where` is SQL over column names.
 */
export async function selectRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, where: string, params: unknown[]): Promise<T[]> {
  const metadata = manager.dataSource.getMetadata(entity);
  const plan = planOf(metadata);
  const driver = manager.dataSource.driver;
  const raws: Record<string, unknown>[] = await manager.query(`${plan.head} WHERE ${where}`, params);
  return raws.map((raw) => {
    const row = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const column of plan.columns) column.setEntityValue(row, driver.prepareHydratedValue(raw[column.databaseName], column));
    for (const listener of metadata.afterLoadListeners) if (listener.isAllowed(row)) listener.execute(row);
    return row;
  });
}

interface SelectPlan {
  head: string;
  columns: ColumnMetadata[];
}

const planOf = perEntity((metadata): SelectPlan => {
  const columns = metadata.columns.filter((column) => column.isSelect && !column.isVirtual && !column.isVirtualProperty);
  const names = columns.map((column) => `\`${column.databaseName}\``).join(", ");
  return { head: `SELECT ${names} FROM \`${metadata.tableName}\``, columns };
});
