import { Writable } from "node:stream";
import winston from "winston";
import { expect } from "chai";
import { Query, Resolver, buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { testConfig } from "../helpers/env";
import { createLogger } from "../../src/core/logger";
import { HttpServer } from "../../src/core/http-server";
import { GUEST } from "../../src/core/context";
import { badInput } from "../../src/core/errors";
import { applyPermissions } from "../../src/core/permissions";
import { isPublic } from "../../src/core/permission-rules";
import { gql } from "../helpers/graphql";

@Resolver()
class FaultyResolver {
  @Query(() => String)
  crash(): string {
    throw new Error("ER_NO_SUCH_TABLE: Table 'lapak.secret' doesn't exist in SELECT password_hash FROM users");
  }

  @Query(() => String)
  refuse(): string {
    throw badInput("Quantity must be at least 1", { field: "quantity" });
  }

  @Query(() => String)
  unguarded(): string {
    return "should never be seen";
  }
}

describe("Errors reaching a client", () => {
  let server: HttpServer;
  let url: string;
  const logged: string[] = [];

  before(async () => {
    const config = testConfig();
    const logger = createLogger({ level: "error", format: "json" });
    logger.clear().add(
      new winston.transports.Stream({
        stream: new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }),
      }),
    );
    const schema = await buildSchema({ resolvers: [FaultyResolver], pubSub: createPubSub() });
    server = new HttpServer({
      config,
      logger,
      schema: applyPermissions(schema, { Query: { crash: isPublic, refuse: isPublic } }),
      authenticate: async () => GUEST,
      readiness: [],
      webhooks: [],
    });
    await server.start();
    url = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.stop());

  it("hides an internal error behind INTERNAL_SERVER_ERROR with a request id, and logs it", async () => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-crash-1" },
      body: JSON.stringify({ query: "{ crash }" }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    const text = JSON.stringify(body);
    expect(body.errors[0].extensions).to.deep.equal({ code: "INTERNAL_SERVER_ERROR", requestId: "req-crash-1" });
    expect(text).not.to.contain("ER_NO_SUCH_TABLE");
    expect(text).not.to.contain("SELECT");
    expect(text).not.to.contain("stacktrace");
    expect(logged.some((line) => line.includes("ER_NO_SUCH_TABLE"))).to.equal(true);
  });

  it("passes a deliberate error through with its code", async () => {
    const response = await gql(url, "{ refuse }");
    expect(response.errors?.[0]).to.deep.include({ message: "Quantity must be at least 1" });
    expect(response.errors?.[0].extensions).to.deep.equal({ code: "BAD_USER_INPUT", field: "quantity" });
  });

  it("denies a field that has no permission rule", async () => {
    const response = await gql(url, "{ unguarded }");
    expect(response.data).to.equal(null);
    expect(response.errors?.[0].extensions?.code).to.equal("FORBIDDEN");
  });

  it("gives every error a code, parse errors included", async () => {
    const response = await gql(url, "{ crash ");
    expect(response.errors?.[0].extensions?.code).to.be.a("string");
  });
});
