import type { AppConfig } from "../../../../core/config";
import { readGatewaySettings } from "../gateway-config";

export interface TokopayConfig {
  /** Includes /v1, e.g. https://api.tokopay.id/v1 */
  baseUrl: string;
  merchantId: string;
  secret: string;
  /** Webhook source addresses accepted (Tokopay sends from 178.128.104.179). */
  allowedIps: string[];
  /** Channel codes (kode_channel) this store offers, e.g. QRIS, BRIVA. */
  channels: string[];
  timeoutMs: number;
}

/** Fake credentials of the provider doc's worked example; the simulator uses them too. */
export const TOKOPAY_SANDBOX_CREDENTIALS = {
  merchantId: "M240115FAKE0001",
  secret: "fakesecret00000000000000000000000000000000000000000000000000beef",
};
export const TOKOPAY_WEBHOOK_IP = "178.128.104.179";
export const TOKOPAY_DEFAULT_CHANNELS = "QRIS,QRISREALTIME,BRIVA,BCAVA,BNIVA,MANDIRIVA,PERMATAVA,DANABALANCE,OVOBALANCE,SHOPEEPAYBALANCE";

/** TOKOPAY_* settings; `app.sandboxUrl` is where the simulators listen (Tokopay is mounted at /tokopay). */
export function loadTokopayConfig(app: Pick<AppConfig, "providersMode" | "sandboxUrl">, source: NodeJS.ProcessEnv = process.env): TokopayConfig {
  const sandbox = app.providersMode === "sandbox";
  return readGatewaySettings(app, source, ({ env, baseUrl, credential, list }) => ({
    baseUrl: baseUrl("TOKOPAY_BASE_URL", "https://api.tokopay.id/v1", `${app.sandboxUrl}/tokopay/v1`),
    merchantId: credential("TOKOPAY_MERCHANT_ID", TOKOPAY_SANDBOX_CREDENTIALS.merchantId),
    secret: credential("TOKOPAY_SECRET", TOKOPAY_SANDBOX_CREDENTIALS.secret),
    // the simulator calls from loopback in sandbox mode
    allowedIps: list("TOKOPAY_ALLOWED_IPS", sandbox ? `${TOKOPAY_WEBHOOK_IP},127.0.0.1,::1` : TOKOPAY_WEBHOOK_IP),
    channels: list("TOKOPAY_CHANNELS", TOKOPAY_DEFAULT_CHANNELS),
    timeoutMs: env.int("TOKOPAY_TIMEOUT_MS", 15_000, 100, 120_000),
  }));
}
