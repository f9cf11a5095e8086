import { hmacHex } from "../../core/crypto";
import { httpRequest } from "../../core/http-client";
import type { Logger } from "../../core/logger";
import { NotificationChannel } from "./notification-outbox.entity";
import type { NotificationOutboxConfig } from "./notification-outbox.config";
import type { NotificationTransport, OutboxMessage } from "./notification-outbox.service";

/** Development/sandbox transport: writes the message to the log (reset links included), sends nothing. */
export class LogTransport implements NotificationTransport {
  readonly sent: OutboxMessage[] = [];

  constructor(private readonly logger: Logger, private readonly keep = 50) {}

  async send(message: OutboxMessage): Promise<void> {
    this.logger.info("notification (development transport)", { ...message });
    this.sent.push(message);
    if (this.sent.length > this.keep) this.sent.shift();
  }
}

/**
 * POSTs the message as JSON to the store's own mailer / WhatsApp gateway.
 * Only a 2xx counts as sent; anything else throws so the outbox retries.
 * The body carries the outbox id: delivery is at least once, the gateway deduplicates on it.
 * With a secret the body is signed like a reseller webhook (X-Lapak-Signature:
 * sha256=HMAC of the raw body), so the gateway can refuse messages not from the store.
 */
export class HttpTransport implements NotificationTransport {
  constructor(private readonly url: string, private readonly timeoutMs: number, private readonly secret = "") {}

  async send(message: OutboxMessage): Promise<void> {
    // last_error keeps only the host: the URL may carry a token.
    const host = new URL(this.url).host;
    const body = JSON.stringify(message);
    const headers: Record<string, string> = { "content-type": "application/json", "x-lapak-delivery": message.id };
    if (this.secret !== "") headers["x-lapak-signature"] = `sha256=${hmacHex("sha256", this.secret, body)}`;
    let status: number;
    try {
      ({ status } = await httpRequest(this.url, { method: "POST", headers, body, timeoutMs: this.timeoutMs }));
    } catch (error) {
      const cause = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
      throw new Error(`${host}: ${cause}`);
    }
    if (status < 200 || status >= 300) throw new Error(`${host} answered HTTP ${status}`);
  }
}

/** Hands each message to the transport of its channel. */
export class ChannelTransport implements NotificationTransport {
  constructor(private readonly byChannel: Record<NotificationChannel, NotificationTransport>) {}

  send(message: OutboxMessage): Promise<void> {
    return this.byChannel[message.channel].send(message);
  }
}

/** HTTP for a channel whose webhook URL is set, otherwise the log (warned about in production, where nothing would go out). */
export function notificationTransport(config: NotificationOutboxConfig, logger: Logger, production: boolean): NotificationTransport {
  const log = new LogTransport(logger);
  const pick = (channel: NotificationChannel, url: string, variable: string): NotificationTransport => {
    if (url !== "") {
      if (production && config.webhookSecret === "") logger.warn(`${channel} notifications are sent unsigned: set NOTIFY_WEBHOOK_SECRET`);
      return new HttpTransport(url, config.httpTimeoutMs, config.webhookSecret);
    }
    if (production) logger.warn(`${channel} notifications are only logged, not sent: set ${variable}`);
    return log;
  };
  return new ChannelTransport({
    [NotificationChannel.EMAIL]: pick(NotificationChannel.EMAIL, config.emailWebhookUrl, "NOTIFY_EMAIL_WEBHOOK_URL"),
    [NotificationChannel.WHATSAPP]: pick(NotificationChannel.WHATSAPP, config.whatsappWebhookUrl, "NOTIFY_WHATSAPP_WEBHOOK_URL"),
  });
}
