import "reflect-metadata";
import { createDataSource, type DatabaseType } from "./src/core/database";

// The DataSource the TypeORM CLI loads (migration:generate / run / revert).
// The app itself detects MySQL or MariaDB at boot; the CLI takes DATABASE_TYPE.
const url = process.env.DATABASE_URL || "mysql://root@127.0.0.1:3306/lapak";
const type = (process.env.DATABASE_TYPE || "mariadb") as DatabaseType;

export const dataSource = createDataSource({ url, type });
