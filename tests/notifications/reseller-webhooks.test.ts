import { createHmac, timingSafeEqual } from "node:crypto";
import { expect } from "chai";
import type { GraphQLSchema } from "graphql";
import type { Queue } from "bull";
import type { DataSource } from "typeorm";
import type { RunningStore } from "../../src/boot";
import type { Viewer } from "../../src/core/context";
import { createLogger } from "../../src/core/logger";
import { SecretBox } from "../../src/core/secret-box";
import { Role } from "../../src/modules/identity/role";
import { MemberLevel } from "../../src/modules/identity/member-level.entity";
import { CustomerType, User } from "../../src/modules/identity/user.entity";
import { loadResellerWebhookConfig } from "../../src/modules/notifications/reseller-webhook.config";
import { ResellerWebhookEndpoint } from "../../src/modules/notifications/reseller-webhook-endpoint.entity";
import { WebhookDelivery, WebhookDeliveryStatus } from "../../src/modules/notifications/reseller-webhook-delivery.entity";
import {
  RESELLER_WEBHOOK_QUEUE,
  ResellerWebhookService,
  type DeliveryJob,
  type OrderUpdatedPayload,
} from "../../src/modules/notifications/reseller-webhook.service";
import { TEST_REDIS_PREFIX } from "../helpers/env";
import { errorCode, gql } from "../helpers/graphql";
import { composedSchema, execAs } from "../helpers/as-viewer";
import { startTestStore, stopStore } from "../helpers/store";
import { createTestUser } from "../helpers/users";
import { WebhookReceiver } from "./webhook-receiver";

const SET = `mutation ($url: String!) { setWebhookEndpoint(url: $url) { endpoint { url secretRotatedAt } secret } }`;
const ROTATE = `mutation { rotateWebhookSecret { secret } }`;
const MINE = `query ($status: WebhookDeliveryStatus) { myWebhookDeliveries(status: $status) { items { id event status attempts lastStatus payload } nextCursor } }`;
const OF_USER = `query ($userId: ID!) { userWebhookDeliveries(userId: $userId) { items { id userId status } } }`;
const RESEND = `mutation ($id: ID!) { resendWebhookDelivery(id: $id) { id status attempts } }`;

// This store's own knobs: quick retries, and a sweeper that needs no grace period.
const WEBHOOK_ENV = {
  RESELLER_WEBHOOK_BACKOFF_BASE_MS: "150",
  RESELLER_WEBHOOK_MAX_ATTEMPTS: "4",
  RESELLER_WEBHOOK_SWEEP_GRACE_MS: "0",
};

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const verify = (secret: string, raw: Buffer, header: unknown) => {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
  const given = Buffer.from(String(header));
  return expected.length === given.length && timingSafeEqual(expected, given);
};

describe("Reseller webhooks: signed, retried, logged and resendable", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let dataSource: DataSource;
  let schema: GraphQLSchema;
  let webhooks: ResellerWebhookService;
  let queue: Queue<DeliveryJob>;
  let receiver: WebhookReceiver;
  let receiverUrl: string;
  let reseller: { id: string; viewer: Viewer; secret: string };
  let otherReseller: { id: string; viewer: Viewer };
  let admin: Viewer;

  async function createReseller(): Promise<{ id: string; viewer: Viewer }> {
    const user = await createTestUser(dataSource);
    const level = await dataSource.getRepository(MemberLevel).findOneByOrFail({ code: "RESELLER" });
    await dataSource.getRepository(User).update({ id: user.id }, { levelId: level.id, customerType: CustomerType.RESELLER });
    return { id: user.id, viewer: { ...user.viewer, levelCode: "RESELLER", via: "api-token" } as Viewer };
  }

  const orderUpdate = (status: string): OrderUpdatedPayload => ({
    orderId: "01JORDER000000000000000000",
    invoiceNumber: "INV/2026/11/0001",
    status,
    sn: status === "SUCCESS" ? "SN 0812-3456 • Pulsa Rp10.000 ✓" : null,
    message: "Transaksi diproses — terima kasih",
    at: new Date().toISOString(),
  });

  const enqueue = (userId: string, status: string) =>
    dataSource.transaction((manager) => webhooks.enqueue(manager, { userId, event: "order.updated", payload: { ...orderUpdate(status) } }));
  const row = (id: string) => dataSource.getRepository(WebhookDelivery).findOneByOrFail({ id });
  const settled = (id: string) =>
    until(`delivery ${id} to settle`, async () => {
      const current = await row(id);
      return current.status !== WebhookDeliveryStatus.PENDING && current;
    });

  before(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, WEBHOOK_ENV);
    try {
      // Its own Redis prefix: its queue and worker are not shared with other stores of the run.
      store = await startTestStore({ REDIS_PREFIX: `${TEST_REDIS_PREFIX}_webhooks` });
    } finally {
      for (const key of Object.keys(WEBHOOK_ENV)) if (saved[key] === undefined) delete process.env[key];
    }
    dataSource = store.infra.dataSource;
    schema = await composedSchema(store);
    queue = store.infra.queues.get<DeliveryJob>(RESELLER_WEBHOOK_QUEUE);
    const config = loadResellerWebhookConfig(store.infra.config, WEBHOOK_ENV);
    webhooks = new ResellerWebhookService(dataSource, queue, new SecretBox(store.infra.config.encryptionKey), config, createLogger({ level: "error", format: "json" }));
    receiver = new WebhookReceiver();
    receiverUrl = await receiver.start();
    const created = await createReseller();
    const set = await execAs(schema, created.viewer, SET, { url: receiverUrl });
    expect(set.errors).to.equal(undefined);
    reseller = { ...created, secret: set.data!.setWebhookEndpoint.secret };
    otherReseller = await createReseller();
    admin = (await createTestUser(dataSource, [Role.ADMIN])).viewer;
  });

  after(async () => {
    await receiver?.stop();
    if (store) await stopStore(store);
  });

  it("gives the secret once, stores it only sealed, and keeps it when the URL changes", async () => {
    expect(reseller.secret).to.match(/^whsec_[0-9a-f]{64}$/);
    const endpoint = await dataSource.getRepository(ResellerWebhookEndpoint).findOneByOrFail({ userId: reseller.id });
    expect(endpoint.secretSealed).not.to.contain(reseller.secret.slice(6));
    expect(new SecretBox(store.infra.config.encryptionKey).open(endpoint.secretSealed)).to.equal(reseller.secret);

    const again = await execAs(schema, reseller.viewer, SET, { url: `${receiverUrl}?v=2` });
    expect(again.data!.setWebhookEndpoint).to.deep.include({ secret: null });
    expect(again.data!.setWebhookEndpoint.endpoint.url).to.equal(`${receiverUrl}?v=2`);
    const after = await dataSource.getRepository(ResellerWebhookEndpoint).findOneByOrFail({ userId: reseller.id });
    expect(after.secretSealed).to.equal(endpoint.secretSealed);
    await execAs(schema, reseller.viewer, SET, { url: receiverUrl });
  });

  it("parallel first calls create one endpoint and show its secret once", async () => {
    const fresh = await createReseller();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => execAs(schema, fresh.viewer, SET, { url: `${receiverUrl}?n=${i}` })));
    expect(results.map((result) => result.code)).to.deep.equal(Array(12).fill(undefined));
    const secrets = results.map((result) => result.data!.setWebhookEndpoint.secret).filter((secret) => secret !== null);
    expect(secrets).to.have.length(1);
    const endpoint = await dataSource.getRepository(ResellerWebhookEndpoint).findOneByOrFail({ userId: fresh.id });
    expect(new SecretBox(store.infra.config.encryptionKey).open(endpoint.secretSealed)).to.equal(secrets[0]);
  });

  it("refuses bad URLs with BAD_USER_INPUT and changes nothing; non-resellers are refused", async () => {
    const before = await dataSource.getRepository(ResellerWebhookEndpoint).findOneByOrFail({ userId: reseller.id });
    for (const url of ["ftp://example.com/hook", "https://user:pass@example.com/hook", "not a url", `https://example.com/${"x".repeat(600)}`]) {
      expect((await execAs(schema, reseller.viewer, SET, { url })).code, url).to.equal("BAD_USER_INPUT");
    }
    expect((await dataSource.getRepository(ResellerWebhookEndpoint).findOneByOrFail({ userId: reseller.id })).url).to.equal(before.url);

    const member = await createTestUser(dataSource);
    expect((await execAs(schema, member.viewer, SET, { url: receiverUrl })).code).to.equal("FORBIDDEN");
    expect(errorCode(await gql(store.url!, SET, { url: receiverUrl }))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(store.url!, MINE))).to.equal("UNAUTHENTICATED");
    // A RESELLER-level viewer whose account is not a reseller account is refused by the service too.
    const pretender = { ...member.viewer, levelCode: "RESELLER" } as Viewer;
    expect((await execAs(schema, pretender, SET, { url: receiverUrl })).code).to.equal("FORBIDDEN");
    expect(await dataSource.getRepository(ResellerWebhookEndpoint).countBy({ userId: member.id })).to.equal(0);
  });

  it("POSTs the order update after commit, signed over the exact bytes, and logs it DELIVERED", async () => {
    const id = (await enqueue(reseller.id, "SUCCESS"))!;
    const delivered = await settled(id);
    expect(delivered).to.deep.include({ status: WebhookDeliveryStatus.DELIVERED, attempts: 1, lastStatus: 200, lastError: null });

    const [hit] = receiver.for(id);
    expect(hit.headers["x-lapak-event"]).to.equal("order.updated");
    expect(hit.headers["x-lapak-timestamp"]).to.match(/^\d{10}$/);
    expect(verify(reseller.secret, hit.raw, hit.headers["x-lapak-signature"])).to.equal(true);
    // One changed byte (or another secret) no longer verifies.
    const tampered = Buffer.from(hit.raw);
    tampered[tampered.length - 2] ^= 1;
    expect(verify(reseller.secret, tampered, hit.headers["x-lapak-signature"])).to.equal(false);
    expect(verify(`${reseller.secret}x`, hit.raw, hit.headers["x-lapak-signature"])).to.equal(false);

    const body = JSON.parse(hit.raw.toString("utf8"));
    expect(body).to.deep.include({ id, event: "order.updated" });
    expect(body.data).to.deep.equal(delivered.payload);
    expect(body.data.sn).to.equal("SN 0812-3456 • Pulsa Rp10.000 ✓");
  });

  it("writes nothing and sends nothing when the caller's transaction rolls back; no endpoint means no delivery", async () => {
    let id: string | null = null;
    await dataSource
      .transaction(async (manager) => {
        id = await webhooks.enqueue(manager, { userId: reseller.id, event: "order.updated", payload: { ...orderUpdate("PAID") } });
        throw new Error("the status change failed");
      })
      .catch(() => undefined);
    expect(id).to.be.a("string");
    expect(await dataSource.getRepository(WebhookDelivery).countBy({ id: id! })).to.equal(0);
    expect(await queue.getJob(id!)).to.equal(null);

    const member = await createTestUser(dataSource);
    expect(await enqueue(member.id, "PAID")).to.equal(null);
    const bad = await dataSource.transaction((manager) => webhooks.enqueue(manager, { userId: reseller.id, event: "Order Updated!", payload: {} })).catch((e) => e);
    expect(bad.extensions.code).to.equal("BAD_USER_INPUT");
  });

  it("retries a failing receiver with growing waits until it answers 2xx: one DELIVERED row, same id and body each time", async () => {
    receiver.answer(500, 503, 200);
    const id = (await enqueue(reseller.id, "PROCESSING"))!;
    const delivered = await settled(id);
    expect(delivered).to.deep.include({ status: WebhookDeliveryStatus.DELIVERED, attempts: 3, lastStatus: 200, lastError: null });
    const hits = receiver.for(id);
    expect(hits).to.have.length(3);
    expect(new Set(hits.map((hit) => hit.raw.toString("hex"))).size).to.equal(1);
    expect(hits.every((hit) => verify(reseller.secret, hit.raw, hit.headers["x-lapak-signature"]))).to.equal(true);
    // Exponential backoff: at least base, then at least 3 × base between attempts.
    expect(hits[1].at - hits[0].at).to.be.at.least(140);
    expect(hits[2].at - hits[1].at).to.be.at.least(3 * 140);
    expect(await dataSource.getRepository(WebhookDelivery).countBy({ id })).to.equal(1);
  });

  it("gives up after the last attempt (FAILED); the owner resends it and it is delivered; nobody else can", async () => {
    receiver.answer(500, 500, 500, 500);
    const id = (await enqueue(reseller.id, "FAILED"))!;
    const failed = await settled(id);
    expect(failed).to.deep.include({ status: WebhookDeliveryStatus.FAILED, attempts: 4, lastStatus: 500 });
    expect(failed.lastError).to.contain("HTTP 500");
    expect(receiver.for(id)).to.have.length(4);

    const mine = await execAs(schema, reseller.viewer, MINE, { status: "FAILED" });
    expect(mine.data!.myWebhookDeliveries.items.map((item: { id: string }) => item.id)).to.include(id);
    const others = await execAs(schema, otherReseller.viewer, MINE, {});
    expect(others.data!.myWebhookDeliveries.items).to.deep.equal([]);
    const staff = await execAs(schema, admin, OF_USER, { userId: reseller.id });
    expect(staff.data!.userWebhookDeliveries.items.map((item: { id: string }) => item.id)).to.include(id);
    expect((await execAs(schema, reseller.viewer, OF_USER, { userId: reseller.id })).code).to.equal("FORBIDDEN");

    expect((await execAs(schema, otherReseller.viewer, RESEND, { id })).code).to.equal("NOT_FOUND");
    expect((await row(id)).status).to.equal(WebhookDeliveryStatus.FAILED);

    const resent = await execAs(schema, reseller.viewer, RESEND, { id });
    expect(resent.errors).to.equal(undefined);
    expect(resent.data!.resendWebhookDelivery).to.deep.equal({ id, status: "PENDING", attempts: 0 });
    const delivered = await settled(id);
    expect(delivered).to.deep.include({ status: WebhookDeliveryStatus.DELIVERED, attempts: 1, lastStatus: 200 });
    expect(receiver.for(id)).to.have.length(5);
  });

  it("refuses to resend a delivery that is still being sent (CONFLICT)", async () => {
    await queue.pause(true); // hold this process's worker so the delivery stays PENDING
    try {
      const id = (await enqueue(reseller.id, "PAID"))!;
      expect((await execAs(schema, reseller.viewer, RESEND, { id })).code).to.equal("CONFLICT");
    } finally {
      await queue.resume(true);
    }
  });

  it("a rotated secret signs the next deliveries; the old one no longer verifies", async () => {
    const rotated = await execAs(schema, reseller.viewer, ROTATE);
    const secret = rotated.data!.rotateWebhookSecret.secret as string;
    expect(secret).not.to.equal(reseller.secret);
    const id = (await enqueue(reseller.id, "SUCCESS"))!;
    await settled(id);
    const [hit] = receiver.for(id);
    expect(verify(secret, hit.raw, hit.headers["x-lapak-signature"])).to.equal(true);
    expect(verify(reseller.secret, hit.raw, hit.headers["x-lapak-signature"])).to.equal(false);
    reseller.secret = secret;
    expect((await execAs(schema, otherReseller.viewer, ROTATE)).code).to.equal("NOT_FOUND");
  });

  it("the sweeper re-enqueues a delivery whose job Redis lost, and it is delivered once", async () => {
    await queue.pause(true);
    let id: string;
    try {
      id = (await enqueue(reseller.id, "SUCCESS"))!;
      const job = await queue.getJob(id);
      expect(job).not.to.equal(null);
      await job!.remove(); // what a Redis restart without persistence does to a queued job
      expect(await queue.getJob(id)).to.equal(null);

      expect(await webhooks.sweep()).to.equal(1);
      expect(await queue.getJob(id)).not.to.equal(null);
      expect(await webhooks.sweep()).to.equal(0); // the job exists now: nothing to do
    } finally {
      await queue.resume(true);
    }
    const delivered = await settled(id);
    expect(delivered).to.deep.include({ status: WebhookDeliveryStatus.DELIVERED, attempts: 1 });
    expect(receiver.for(id)).to.have.length(1);
  });
});
