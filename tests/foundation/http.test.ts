import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { gql } from "../helpers/graphql";
import { sharedStore, startTestStore, stopStore } from "../helpers/store";
import { FaultProxy } from "../../src/ops/fault-proxy";

describe("The store over HTTP", () => {
  let store: RunningStore;
  before(async () => {
    store = await sharedStore();
  });

  it("answers /health and /ready with JSON", async () => {
    const health = await fetch(`${store.url}/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.include({ status: "ok" });
    const ready = await fetch(`${store.url}/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ status: "ready", checks: { mysql: "ok", redis: "ok", queues: "ok" } });
  });

  it("serves GraphQL with introspection", async () => {
    const response = await gql(store.url!, "{ __schema { queryType { name } } serverInfo { name providersMode } }");
    expect(response.errors).to.equal(undefined);
    expect(response.data).to.deep.equal({
      __schema: { queryType: { name: "Query" } },
      serverInfo: { name: "Lapak", providersMode: "sandbox" },
    });
  });

  it("serves the playground from local files only", async () => {
    const page = await fetch(`${store.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).to.equal(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).to.be.greaterThan(3);
    for (const asset of assets) {
      expect(asset, asset).to.match(/^\/playground\//);
      const response = await fetch(`${store.url}${asset}`);
      expect(response.status, asset).to.equal(200);
    }
  });

  it("puts a request id on every response", async () => {
    const response = await fetch(`${store.url}/health`, { headers: { "x-request-id": "req-abc-123" } });
    expect(response.headers.get("x-request-id")).to.equal("req-abc-123");
  });

  it("refuses a body over the size limit with 413", async () => {
    const response = await fetch(`${store.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ serverInfo { name } }`, padding: "x".repeat(1_100_000) }),
    });
    expect(response.status).to.equal(413);
  });

  it("refuses introspection when it is turned off (production default)", async () => {
    const closed = await startTestStore({ GRAPHQL_INTROSPECTION: "false", APP_ROLE: "api" });
    try {
      const response = await gql(closed.url!, "{ __schema { queryType { name } } }");
      expect(response.errors?.[0].extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");
      expect((await gql(closed.url!, "{ serverInfo { name } }")).data).to.deep.equal({ serverInfo: { name: "Lapak" } });
    } finally {
      await stopStore(closed);
    }
  });

  describe("when Redis becomes unreachable", () => {
    let proxy: FaultProxy;
    let own: RunningStore;
    before(async () => {
      proxy = new FaultProxy({ targetPort: 6379, name: "redis" });
      const port = await proxy.start();
      own = await startTestStore({ REDIS_URL: `redis://127.0.0.1:${port}`, APP_ROLE: "api" });
    });
    after(async () => {
      await proxy.restore();
      await stopStore(own);
      await proxy.stop();
    });

    it("turns /ready to 503 and names Redis", async () => {
      expect((await fetch(`${own.url}/ready`)).status).to.equal(200);
      await proxy.cut();
      const response = await fetch(`${own.url}/ready`);
      expect(response.status).to.equal(503);
      const body = (await response.json()) as { failed: string[] };
      expect(body.failed).to.include("redis");
      expect(body.failed).not.to.include("mysql");
    });
  });
});
