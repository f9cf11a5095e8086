import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ConfigError } from "../../src/core/config";
import { createDataSource, ensureDatabase } from "../../src/core/database";
import { NotificationChannel, NotificationOutbox, NotificationStatus } from "../../src/modules/notifications/notification-outbox.entity";
import { loadNotificationOutboxConfig, type NotificationOutboxConfig } from "../../src/modules/notifications/notification-outbox.config";
import {
  NotificationOutboxService,
  retryDelayMs,
  type NotificationTransport,
  type OutboxMessage,
  type OutgoingMessage,
} from "../../src/modules/notifications/notification-outbox.service";
import { notificationTransport } from "../../src/modules/notifications/notification-transports";
import { recreateTestDatabase, siblingDatabaseUrl } from "../helpers/env";
import { recordingLogger } from "../helpers/recording-logger";
import { WebhookReceiver } from "./webhook-receiver";

const POLICY = { maxAttempts: 5, retryBaseMs: 1000, retryMaxMs: 60_000 };
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

/** Fails the first `failures` sends, then sends; records every attempt. */
class ScriptedTransport implements NotificationTransport {
  readonly attempts: OutboxMessage[] = [];
  constructor(private failures: number, private readonly delayMs = 0) {}

  async send(message: OutboxMessage): Promise<void> {
    this.attempts.push(message);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failures > 0) {
      this.failures--;
      throw new Error("gateway down");
    }
  }
}

describe("Notification outbox: retries and transports", function () {
  this.timeout(60_000);
  // A database of its own: the shared store's worker sweeps the main test database's outbox.
  const url = siblingDatabaseUrl("outbox");
  let dataSource: DataSource;

  before(async () => {
    await recreateTestDatabase(url);
    dataSource = await createDataSource(await ensureDatabase(url), 6).initialize();
  });
  after(async () => {
    await dataSource?.destroy();
  });
  beforeEach(async () => {
    await dataSource.query("DELETE FROM notification_outbox");
  });

  const message = (recipient = "budi@example.test", channel = NotificationChannel.EMAIL): OutgoingMessage => ({
    channel,
    recipient,
    template: "password-reset",
    payload: { resetUrl: "https://toko.example/reset?token=abc" },
  });
  const enqueue = (outbox: NotificationOutboxService, msg = message()) => dataSource.transaction((manager) => outbox.enqueue(manager, msg));
  const row = (id: string) => dataSource.getRepository(NotificationOutbox).findOneByOrFail({ id });

  it("waits base × 2^(attempts−1) between sends, capped", () => {
    const policy = { maxAttempts: 9, retryBaseMs: 1000, retryMaxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).to.deep.equal([1000, 2000, 4000, 5000, 5000]);
  });

  it("retries a failed send after its backoff and sends it on the third attempt", async () => {
    const transport = new ScriptedTransport(2);
    const outbox = new NotificationOutboxService(dataSource, transport, POLICY, recordingLogger().logger);
    const id = await enqueue(outbox);
    const t0 = new Date();

    expect(await outbox.deliverPending(20, t0)).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
    let saved = await row(id);
    expect(saved).to.deep.include({ status: NotificationStatus.PENDING, attempts: 1, lastError: "gateway down" });
    expect(saved.nextAttemptAt.getTime()).to.equal(at(t0, 1000).getTime());

    // Not due yet: nothing is claimed.
    expect(await outbox.deliverPending(20, at(t0, 999))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.attempts).to.have.length(1);

    expect(await outbox.deliverPending(20, at(t0, 1000))).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
    expect((await row(id)).nextAttemptAt.getTime()).to.equal(at(t0, 3000).getTime());
    expect(await outbox.deliverPending(20, at(t0, 2999))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });

    expect(await outbox.deliverPending(20, at(t0, 3000))).to.deep.equal({ sent: 1, retrying: 0, failed: 0 });
    saved = await row(id);
    expect(saved).to.deep.include({ status: NotificationStatus.SENT, attempts: 3, lastError: null });
    expect(saved.sentAt).to.be.an.instanceOf(Date);
    expect(transport.attempts.map((m) => m.id)).to.deep.equal([id, id, id]);
    expect(transport.attempts[2]).to.deep.equal({ id, ...message() });

    // Sent is final.
    expect(await outbox.deliverPending(20, at(t0, 3_600_000))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.attempts).to.have.length(3);
  });

  it("gives up after the last attempt: FAILED with the error, and a warning in the log", async () => {
    const transport = new ScriptedTransport(Infinity);
    const { logger, lines } = recordingLogger();
    const outbox = new NotificationOutboxService(dataSource, transport, { ...POLICY, maxAttempts: 3 }, logger);
    const id = await enqueue(outbox);
    const t0 = new Date();

    expect(await outbox.deliverPending(20, t0)).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
    expect(await outbox.deliverPending(20, at(t0, 1000))).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
    expect(lines.filter((line) => line.level === "warn")).to.have.length(0);
    expect(await outbox.deliverPending(20, at(t0, 3000))).to.deep.equal({ sent: 0, retrying: 0, failed: 1 });

    expect(await row(id)).to.deep.include({ status: NotificationStatus.FAILED, attempts: 3, lastError: "gateway down", sentAt: null });
    const warnings = lines.filter((line) => line.level === "warn");
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.deep.include({ message: "notification failed for good", id, channel: "EMAIL", attempts: 3, error: "gateway down" });
    expect(JSON.stringify(warnings[0])).not.to.include("budi@example.test");

    expect(await outbox.deliverPending(20, at(t0, 86_400_000))).to.deep.equal({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.attempts).to.have.length(3);
  });

  it("two workers delivering at once never send one message twice", async () => {
    const transport = new ScriptedTransport(0, 5);
    const outbox = new NotificationOutboxService(dataSource, transport, POLICY, recordingLogger().logger);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue(outbox, message(`buyer${i}@example.test`)));
    const now = new Date();

    const [a, b] = await Promise.all([outbox.deliverPending(50, now), outbox.deliverPending(50, now)]);
    expect(a.sent + b.sent).to.equal(30);
    expect(transport.attempts).to.have.length(30);
    expect(new Set(transport.attempts.map((m) => m.id)).size).to.equal(30);
    expect(await dataSource.getRepository(NotificationOutbox).countBy({ status: NotificationStatus.SENT })).to.equal(30);
  });

  describe("HTTP transport", () => {
    let receiver: WebhookReceiver;
    let receiverUrl: string;
    const config = (overrides: Partial<NotificationOutboxConfig>): NotificationOutboxConfig => ({
      ...POLICY,
      emailWebhookUrl: "",
      whatsappWebhookUrl: "",
      httpTimeoutMs: 2000,
      webhookSecret: "",
      ...overrides,
    });

    before(async () => {
      receiver = new WebhookReceiver();
      receiverUrl = await receiver.start();
    });
    after(async () => {
      await receiver.stop();
    });
    beforeEach(() => {
      receiver.received.length = 0;
    });

    it("POSTs the message as JSON; a 500 is retried, a 200 is SENT", async () => {
      const { logger } = recordingLogger();
      const transport = notificationTransport(config({ emailWebhookUrl: receiverUrl }), logger, false);
      const outbox = new NotificationOutboxService(dataSource, transport, POLICY, logger);
      receiver.answer(500, 200);
      const id = await enqueue(outbox);
      const t0 = new Date();

      expect(await outbox.deliverPending(20, t0)).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
      const host = new URL(receiverUrl).host;
      expect(await row(id)).to.deep.include({ status: NotificationStatus.PENDING, attempts: 1, lastError: `${host} answered HTTP 500` });

      expect(await outbox.deliverPending(20, at(t0, 1000))).to.deep.equal({ sent: 1, retrying: 0, failed: 0 });
      expect(await row(id)).to.deep.include({ status: NotificationStatus.SENT, attempts: 2, lastError: null });

      expect(receiver.received).to.have.length(2);
      for (const hit of receiver.received) {
        expect(hit.headers["content-type"]).to.equal("application/json");
        expect(hit.headers["x-lapak-delivery"]).to.equal(id);
        expect(hit.headers["x-lapak-signature"]).to.equal(undefined);
        expect(JSON.parse(hit.raw.toString("utf8"))).to.deep.equal({ id, ...message() });
      }
    });

    it("with NOTIFY_WEBHOOK_SECRET every POST carries the HMAC-SHA256 of its raw body", async () => {
      const { logger } = recordingLogger();
      const secret = "mailer-shared-secret";
      const transport = notificationTransport(config({ emailWebhookUrl: receiverUrl, webhookSecret: secret }), logger, false);
      const outbox = new NotificationOutboxService(dataSource, transport, POLICY, logger);
      const id = await enqueue(outbox);

      expect(await outbox.deliverPending(20, new Date())).to.deep.equal({ sent: 1, retrying: 0, failed: 0 });
      expect(receiver.received).to.have.length(1);
      const [hit] = receiver.received;
      const expected = crypto.createHmac("sha256", secret).update(hit.raw).digest("hex");
      expect(hit.headers["x-lapak-signature"]).to.equal(`sha256=${expected}`);
      expect(JSON.parse(hit.raw.toString("utf8"))).to.deep.equal({ id, ...message() });
    });

    it("a channel without a webhook URL stays on the log transport", async () => {
      const { logger, lines } = recordingLogger();
      const transport = notificationTransport(config({ emailWebhookUrl: receiverUrl }), logger, false);
      const outbox = new NotificationOutboxService(dataSource, transport, POLICY, logger);
      const id = await enqueue(outbox, message("6281234567890", NotificationChannel.WHATSAPP));

      expect(await outbox.deliverPending(20, new Date())).to.deep.equal({ sent: 1, retrying: 0, failed: 0 });
      expect(receiver.received).to.have.length(0);
      expect(lines.find((line) => line.message === "notification (development transport)")).to.deep.include({ id, channel: "WHATSAPP" });
    });

    it("no answer at all (connection refused) is a failed send, retried later", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const { logger } = recordingLogger();
      const transport = notificationTransport(config({ whatsappWebhookUrl: `http://127.0.0.1:${port}/wa?token=secret` }), logger, false);
      const outbox = new NotificationOutboxService(dataSource, transport, POLICY, logger);
      const id = await enqueue(outbox, message("6281234567890", NotificationChannel.WHATSAPP));

      expect(await outbox.deliverPending(20, new Date())).to.deep.equal({ sent: 0, retrying: 1, failed: 0 });
      const saved = await row(id);
      expect(saved).to.deep.include({ status: NotificationStatus.PENDING, lastError: `127.0.0.1:${port}: ECONNREFUSED` });
    });

    it("warns at boot in production when a channel would only be logged", () => {
      const { logger, lines } = recordingLogger();
      notificationTransport(config({ emailWebhookUrl: receiverUrl }), logger, true);
      expect(lines.filter((line) => line.level === "warn").map((line) => line.message)).to.deep.equal([
        "EMAIL notifications are sent unsigned: set NOTIFY_WEBHOOK_SECRET",
        "WHATSAPP notifications are only logged, not sent: set NOTIFY_WHATSAPP_WEBHOOK_URL",
      ]);
    });
  });

  it("reads its settings from the environment and names every bad one", () => {
    expect(loadNotificationOutboxConfig({})).to.deep.equal({
      maxAttempts: 8,
      retryBaseMs: 60_000,
      retryMaxMs: 3_600_000,
      emailWebhookUrl: "",
      whatsappWebhookUrl: "",
      httpTimeoutMs: 10_000,
      webhookSecret: "",
    });
    expect(loadNotificationOutboxConfig({ NOTIFY_EMAIL_WEBHOOK_URL: "https://mail.toko.example/send", NOTIFY_MAX_ATTEMPTS: "3" })).to.deep.include({
      emailWebhookUrl: "https://mail.toko.example/send",
      maxAttempts: 3,
    });
    let problems: string[] = [];
    try {
      loadNotificationOutboxConfig({ NOTIFY_MAX_ATTEMPTS: "0", NOTIFY_WHATSAPP_WEBHOOK_URL: "ftp://x", NOTIFY_RETRY_BASE_MS: "5000", NOTIFY_RETRY_MAX_MS: "1000" });
    } catch (error) {
      expect(error).to.be.an.instanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).to.have.length(3);
    expect(problems.join("\n")).to.include("NOTIFY_MAX_ATTEMPTS").and.include("NOTIFY_WHATSAPP_WEBHOOK_URL").and.include("NOTIFY_RETRY_MAX_MS");
  });
});
