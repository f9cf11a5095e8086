import { expect } from "chai";
import { createDataSource, ensureDatabase } from "../../src/core/database";
import { startTestStore, stopStore } from "../helpers/store";
import { siblingDatabaseUrl } from "../helpers/env";

const SEED_DB = siblingDatabaseUrl("seed");

async function countRows(tables: string[]): Promise<Record<string, number>> {
  const dataSource = await createDataSource(await ensureDatabase(SEED_DB), 1).initialize();
  try {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
      counts[table] = Number(row.n);
    }
    return counts;
  } finally {
    await dataSource.destroy();
  }
}

describe("The demo seed", function () {
  this.timeout(60_000);
  before(() => ensureDatabase(SEED_DB, { recreate: true }));

  it("fills an empty database once; a second start adds nothing", async () => {
    const first = await startTestStore({ DATABASE_URL: SEED_DB, SEED_DEMO: "true" });
    await stopStore(first);
    const tables = ["users", "user_roles", "member_levels"];
    const afterFirst = await countRows(tables);
    expect(afterFirst.users).to.be.greaterThan(5);
    expect(afterFirst.member_levels).to.equal(4);

    const second = await startTestStore({ DATABASE_URL: SEED_DB, SEED_DEMO: "true" });
    await stopStore(second);
    expect(await countRows(tables)).to.deep.equal(afterFirst);
  });
});
