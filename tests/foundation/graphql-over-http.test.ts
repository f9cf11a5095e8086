import { expect } from "chai";
import { auditServer } from "graphql-http";
import { sharedStore } from "../helpers/store";

describe("GraphQL over HTTP conformance", function () {
  this.timeout(60_000);

  it("passes graphql-http's audit with no errors (warnings are Apollo's documented 400s)", async () => {
    const store = await sharedStore();
    const results = await auditServer({ url: `${store.url}/graphql` });
    const errors = results.filter((result) => result.status === "error").map((result) => `${result.id} ${result.name}`);
    expect(results.length).to.be.greaterThan(20);
    expect(errors).to.deep.equal([]);
  });
});
