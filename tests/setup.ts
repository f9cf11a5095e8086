import "reflect-metadata";
import { stopSharedStores } from "./helpers/store";
import { TEST_DATABASE_URL, recreateTestDatabase } from "./helpers/env";

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
