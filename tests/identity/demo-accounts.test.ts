import { expect } from "chai";
import { ensureDatabase } from "../../src/core/database";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../src/modules/identity/identity.seed";
import { siblingDatabaseUrl } from "../helpers/env";
import { gql } from "../helpers/graphql";
import { startTestStore, stopStore } from "../helpers/store";
import { login } from "../helpers/identity";

describe("Identity: the demo accounts (README) sign in with their roles and levels", function () {
  this.timeout(60_000);

  it("every seeded account signs in with the demo password and sees its own roles and level", async () => {
    const url = siblingDatabaseUrl("demo");
    await ensureDatabase(url, { recreate: true });
    const store = await startTestStore({ DATABASE_URL: url, SEED_DEMO: "true" });
    try {
      for (const account of DEMO_ACCOUNTS) {
        const session = await login(store.url!, account.email, DEMO_PASSWORD);
        const me = await gql(store.url!, "{ me { roles level { code } customerType } }", {}, session.accessToken);
        expect(me.data!.me, account.email).to.deep.equal({
          roles: account.roles,
          level: { code: account.level },
          customerType: account.customerType ?? "RETAIL",
        });
      }
    } finally {
      await stopStore(store);
    }
  });
});
