import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface NotificationOutboxConfig {
  /** Sends per message before it is FAILED for good. */
  maxAttempts: number;
  /** After failed send n the message waits base × 2^(n−1) ms, at most retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Where each channel is POSTed; empty = the development LogTransport (logged, not sent). */
  emailWebhookUrl: string;
  whatsappWebhookUrl: string;
  httpTimeoutMs: number;
  /** Signs each POST (X-Lapak-Signature); empty = unsigned. */
  webhookSecret: string;
}

export function loadNotificationOutboxConfig(source: NodeJS.ProcessEnv = process.env): NotificationOutboxConfig {
  const env = new EnvReader(source);
  const webhookUrl = (name: string) => (env.str(name, "") === "" ? "" : env.url(name, "", ["http:", "https:"]));
  const config: NotificationOutboxConfig = {
    maxAttempts: env.int("NOTIFY_MAX_ATTEMPTS", 8, 1, 50),
    retryBaseMs: env.int("NOTIFY_RETRY_BASE_MS", 60_000, 100, 86_400_000),
    retryMaxMs: env.int("NOTIFY_RETRY_MAX_MS", 3_600_000, 100, 7 * 86_400_000),
    emailWebhookUrl: webhookUrl("NOTIFY_EMAIL_WEBHOOK_URL"),
    whatsappWebhookUrl: webhookUrl("NOTIFY_WHATSAPP_WEBHOOK_URL"),
    httpTimeoutMs: env.int("NOTIFY_HTTP_TIMEOUT_MS", 10_000, 100, 60_000),
    webhookSecret: env.str("NOTIFY_WEBHOOK_SECRET", ""),
  };
  if (config.retryMaxMs < config.retryBaseMs) env.problems.push("NOTIFY_RETRY_MAX_MS must not be below NOTIFY_RETRY_BASE_MS");
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
