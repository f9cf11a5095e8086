#!/usr/bin/env node
// Wraps the TypeORM CLI: `npm run migration:generate -- Name`, `migration:run`, `migration:revert`.
// The database named in DATABASE_URL is created first when missing.
require("ts-node/register/transpile-only");
const { spawnSync } = require("node:child_process");
const { ensureDatabase } = require("../src/core/database");

const [command, name] = process.argv.slice(2);
const url = process.env.DATABASE_URL || "mysql://root@127.0.0.1:3306/lapak";
const cli = require.resolve("typeorm/cli-ts-node-commonjs.js");
const args = {
  generate: ["migration:generate", `migrations/${name}`, "-d", "ormconfig.ts"],
  run: ["migration:run", "-d", "ormconfig.ts"],
  revert: ["migration:revert", "-d", "ormconfig.ts"],
}[command];
if (!args || (command === "generate" && !name)) {
  console.error("usage: migration.js generate <Name> | run | revert");
  process.exit(2);
}
ensureDatabase(url).then(
  (target) => {
    const env = { ...process.env, DATABASE_URL: url, DATABASE_TYPE: process.env.DATABASE_TYPE || target.type, TS_NODE_TRANSPILE_ONLY: "true" };
    const result = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env });
    process.exit(result.status ?? 1);
  },
  (error) => {
    console.error(`lapak: cannot reach MySQL at ${url}: ${error.code || error.message}`);
    process.exit(1);
  },
);
