import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { createDataSource, ensureDatabase } from "../../src/core/database";
import { renderSchemaSdl } from "../../src/schema";
import { TEST_DATABASE_URL } from "../helpers/env";

describe("Generated artefacts stay in step with the code", () => {
  it("schema.graphql is what the resolvers generate (run `npm run schema`)", async () => {
    const committed = readFileSync(path.resolve(__dirname, "..", "..", "schema.graphql"), "utf8");
    expect(committed).to.equal(await renderSchemaSdl());
  });

  it("the migrations create exactly what the entities describe (run `npm run migration:generate -- Name`)", async () => {
    const target = await ensureDatabase(TEST_DATABASE_URL);
    const dataSource = await createDataSource(target, 2).initialize();
    try {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((query) => query.query)).to.deep.equal([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
