import "reflect-metadata";
import { stopSharedStores } from "./helpers/store";
import { TEST_DATABASE_URL, recreateTestDatabase } from "./helpers/env";

// No scheduled supplier sync in test stores: it would rewrite the shared test
// catalog mid-run. The sync tests run it on demand.
process.env.CATALOG_SYNC_INTERVAL_MINUTES ??= "0";

// Root hooks: the whole suite runs against a real MySQL and Redis, in its own
// database (lapak_test), recreated and migrated at the start of the run.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await recreateTestDatabase(TEST_DATABASE_URL);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopSharedStores();
  },
};
