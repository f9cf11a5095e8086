import { expect } from "chai";
import { gzipSync } from "node:zlib";
import { buildSchema } from "graphql";
import { testConfig } from "../helpers/env";
import { createLogger } from "../../src/core/logger";
import { HttpServer } from "../../src/core/http-server";
import { GUEST } from "../../src/core/context";
import type { WebhookAnswer, WebhookEndpoint, WebhookRequest } from "../../src/core/webhook-intake";

/** An endpoint for /webhooks/acme that records what it was handed and answers as told. */
function recordingEndpoint() {
  const received: WebhookRequest[] = [];
  let answer: () => Promise<WebhookAnswer> = async () => ({ status: 202, body: { ok: "acme" } });
  const endpoint: WebhookEndpoint = {
    accepts: (provider) => provider === "acme",
    receive: async (request) => (received.push(request), answer()),
  };
  return { endpoint, received, answerWith: (next: () => Promise<WebhookAnswer>) => (answer = next) };
}

describe("The callback intake (POST /webhooks/<provider> on node:http)", () => {
  let server: HttpServer;
  let url: string;
  const acme = recordingEndpoint();
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  before(async () => {
    server = new HttpServer({
      config: testConfig({}),
      logger: createLogger({ level: "error", format: "json", silent: true }),
      schema: buildSchema("type Query { ok: Boolean }"),
      authenticate: async () => GUEST,
      readiness: [],
      webhooks: [acme.endpoint],
      graphql: false,
    });
    await server.start();
    url = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.stop());
  beforeEach(() => {
    acme.received.length = 0;
    acme.answerWith(async () => ({ status: 202, body: { ok: "acme" } }));
  });

  it("hands the endpoint the exact bytes, the provider, the sub-path and the headers, and sends its answer as JSON", async () => {
    const body = '{"amount": 10000,  "note":"spaces kept"}';
    const response = await post("/webhooks/ACME/invoice/paid?ignored=1", body, { "x-callback-token": "t0k", "x-request-id": "cb-1" });
    expect(response.status).to.equal(202);
    expect(response.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    expect(response.headers.get("x-request-id")).to.equal("cb-1");
    expect(await response.json()).to.deep.equal({ ok: "acme" });
    expect(acme.received).to.have.length(1);
    const [request] = acme.received;
    expect(request.rawBody.toString("utf8")).to.equal(body);
    expect(request).to.include({ provider: "acme", subPath: "/invoice/paid" });
    expect(request.headers["x-callback-token"]).to.equal("t0k");
    expect(request.ip).to.match(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it("takes the sender's address from X-Forwarded-For only as a loopback proxy appended it", async () => {
    await post("/webhooks/acme", "{}", { "x-forwarded-for": "203.0.113.9, 198.51.100.7" });
    expect(acme.received[0].ip).to.equal("198.51.100.7");
  });

  it("reads a gzip-compressed body as the bytes that were compressed", async () => {
    const body = JSON.stringify({ reference: "T-1", padding: "x".repeat(5000) });
    const response = await post("/webhooks/acme", gzipSync(body), { "content-encoding": "gzip" });
    expect(response.status).to.equal(202);
    expect(acme.received[0].rawBody.toString("utf8")).to.equal(body);
  });

  it("refuses an unknown encoding (415) and a body over 1 MB (413) without calling the endpoint", async () => {
    const unknown = await post("/webhooks/acme", "{}", { "content-encoding": "zstd" });
    expect(unknown.status).to.equal(415);
    const large = await post("/webhooks/acme", JSON.stringify({ padding: "x".repeat(1_100_000) }));
    expect(large.status).to.equal(413);
    const { errors } = (await large.json()) as { errors: { extensions: { code: string } }[] };
    expect(errors[0].extensions.code).to.equal("PAYLOAD_TOO_LARGE");
    expect(acme.received).to.have.length(0);
  });

  it("answers 404 for a provider no endpoint accepts, and for anything but POST", async () => {
    const unknown = await post("/webhooks/nobody", "{}");
    expect(unknown.status).to.equal(404);
    expect(await unknown.json()).to.deep.equal({ error: "not found", path: "/webhooks/nobody" });
    expect((await fetch(`${url}/webhooks/acme`)).status).to.equal(404);
    expect((await post("/webhooks/%E0%A4%A", "{}")).status).to.equal(400);
    expect(acme.received).to.have.length(0);
  });

  it("answers 500 without internals when the endpoint fails, so the provider delivers again", async () => {
    acme.answerWith(async () => {
      throw new Error("database is down at 10.0.0.5");
    });
    const response = await post("/webhooks/acme", "{}");
    expect(response.status).to.equal(500);
    const text = await response.text();
    expect(text).to.not.contain("10.0.0.5");
    expect(JSON.parse(text).errors[0].extensions.code).to.equal("INTERNAL_SERVER_ERROR");
  });

  it("still answers /health beside the intake", async () => {
    expect((await fetch(`${url}/health`)).status).to.equal(200);
  });
});
