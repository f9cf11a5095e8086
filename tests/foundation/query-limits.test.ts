import { expect } from "chai";
import { Field, ObjectType, Query, Resolver, buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { testConfig } from "../helpers/env";
import { createLogger } from "../../src/core/logger";
import { HttpServer } from "../../src/core/http-server";
import { GUEST } from "../../src/core/context";
import { applyPermissions } from "../../src/core/permissions";
import { isPublic } from "../../src/core/permission-rules";
import { gql } from "../helpers/graphql";

let resolverCalls = 0;

@ObjectType()
class Tree {
  @Field()
  name: string;

  @Field(() => Tree)
  child(): Tree {
    resolverCalls += 1;
    return { name: "leaf" } as Tree;
  }
}

@Resolver()
class TreeResolver {
  @Query(() => Tree)
  tree(): Tree {
    resolverCalls += 1;
    return { name: "root" } as Tree;
  }
}

describe("Query limits", () => {
  let server: HttpServer;
  let url: string;

  before(async () => {
    const config = testConfig({ GRAPHQL_MAX_DEPTH: "4", GRAPHQL_MAX_ALIASES: "3", GRAPHQL_MAX_FIELDS: "20" });
    const schema = await buildSchema({ resolvers: [TreeResolver], pubSub: createPubSub() });
    server = new HttpServer({
      config,
      logger: createLogger({ level: "error", format: "json", silent: true }),
      schema: applyPermissions(schema, { Query: { tree: isPublic }, Tree: isPublic }),
      authenticate: async () => GUEST,
      readiness: [],
      webhooks: [],
    });
    await server.start();
    url = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.stop());
  beforeEach(() => (resolverCalls = 0));

  it("answers an operation within the limits", async () => {
    const response = await gql(url, "{ tree { child { child { name } } } }");
    expect(response.errors).to.equal(undefined);
    expect(resolverCalls).to.equal(3);
  });

  const refused: [string, string][] = [
    ["too deep", "{ tree { child { child { child { child { name } } } } } }"],
    ["too deep through fragments", "{ tree { ...A } } fragment A on Tree { child { child { child { child { name } } } } }"],
    ["too many aliases", "{ a: tree { name } b: tree { name } c: tree { name } d: tree { name } }"],
    ["too many fields", `{ tree { ${Array.from({ length: 25 }, () => "name").join(" ")} } }`],
  ];
  for (const [what, query] of refused) {
    it(`refuses an operation ${what} before any resolver runs`, async () => {
      const response = await gql(url, query);
      expect(response.errors?.[0].extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");
      expect(response.errors?.[0].message).to.match(/limit/);
      expect(response.data).to.equal(undefined);
      expect(resolverCalls).to.equal(0);
    });
  }
});
