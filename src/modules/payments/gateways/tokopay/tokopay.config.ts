import type { EnvReader } from "../../../../core/env";
import { gatewayBaseUrl, gatewayCredential, gatewayList, loadGatewayConfig, type GatewayEnvContext } from "../gateway-env";

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

export function readTokopayConfig(env: EnvReader, app: GatewayEnvContext): TokopayConfig {
  const sandbox = app.providersMode === "sandbox";
  return {
    baseUrl: gatewayBaseUrl(env, app, "TOKOPAY_BASE_URL", "https://api.tokopay.id/v1", "/tokopay/v1"),
    merchantId: gatewayCredential(env, app, "TOKOPAY_MERCHANT_ID", TOKOPAY_SANDBOX_CREDENTIALS.merchantId),
    secret: gatewayCredential(env, app, "TOKOPAY_SECRET", TOKOPAY_SANDBOX_CREDENTIALS.secret),
    // the simulator calls from loopback in sandbox mode
    allowedIps: gatewayList(env, "TOKOPAY_ALLOWED_IPS", sandbox ? `${TOKOPAY_WEBHOOK_IP},127.0.0.1,::1` : TOKOPAY_WEBHOOK_IP),
    channels: gatewayList(env, "TOKOPAY_CHANNELS", TOKOPAY_DEFAULT_CHANNELS),
    timeoutMs: env.int("TOKOPAY_TIMEOUT_MS", 15_000, 100, 120_000),
  };
}

/** Reads the settings at boot; throws ConfigError listing every problem. */
export const loadTokopayConfig = (app: GatewayEnvContext, source: NodeJS.ProcessEnv = process.env) =>
  loadGatewayConfig(readTokopayConfig, app, source);
