import path from "node:path";
import mysql from "mysql2/promise";
import { DataSource, type DataSourceOptions, type FindManyOptions, type ObjectLiteral, type Repository } from "typeorm";

export type DatabaseType = "mysql" | "mariadb";

/** The project root, both under ts-node (src/core) and compiled (dist/src/core). */
const ROOT = path.resolve(__dirname, "..", "..");

export interface DatabaseTarget {
  url: string;
  name: string;
  type: DatabaseType;
}

export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits or _`);
  return name;
}

function serverOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || "root"),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * Connects to the server (not the database), creates the database when it is
 * missing and tells which server it is, so TypeORM gets the matching driver.
 */
export async function ensureDatabase(url: string, options: { recreate?: boolean } = {}): Promise<DatabaseTarget> {
  const name = databaseNameOf(url);
  const connection = await mysql.createConnection({ ...serverOptions(url), connectTimeout: 5000 });
  try {
    if (options.recreate) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await connection.query("SELECT VERSION() AS version");
    const version = String((rows as { version: string }[])[0].version);
    return { url, name, type: version.toLowerCase().includes("mariadb") ? "mariadb" : "mysql" };
  } finally {
    await connection.end();
  }
}

export function dataSourceOptions(target: Pick<DatabaseTarget, "url" | "type">, poolSize = 8): DataSourceOptions {
  return {
    type: target.type,
    url: target.url,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    entities: [path.join(ROOT, "src/modules/**/*.entity.{ts,js}")],
    migrations: [path.join(ROOT, "migrations/*.{ts,js}")],
    migrationsTableName: "migrations",
    poolSize,
    // trace off: mysql2 captures a stack for every query (about 5 % of the API's CPU under
    // checkout load); a failed query's error still carries its message, code and SQL
    extra: { connectionLimit: poolSize, connectTimeout: 5000, enableKeepAlive: true, trace: false },
  };
}

export function createDataSource(target: Pick<DatabaseTarget, "url" | "type">, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(target, poolSize));
}

/**
 * Like `findOne` with relations, in ONE query: TypeORM's findOne adds LIMIT 1,
 * which with a joined to-many relation costs a second DISTINCT query.
 */
export async function findOneJoined<T extends ObjectLiteral>(repository: Repository<T>, options: FindManyOptions<T>): Promise<T | null> {
  return (await repository.find(options))[0] ?? null;
}
