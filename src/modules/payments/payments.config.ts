import { ConfigError, type AppConfig } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface PaymentsConfig {
  /** A payment still pending this long after creation is confirmed by polling the gateway. */
  pollAfterSeconds: number;
  pollEverySeconds: number;
  proofDir: string;
  proofMaxBytes: number;
  /** How gateways reach the store: PUBLIC_URL (the actual port in tests); callbacks go to <it>/webhooks/<gateway>. */
  storeUrl: () => string;
  sandbox: boolean;
}

export function loadPaymentsConfig(config: AppConfig, storeUrl: () => string, source: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const env = new EnvReader(source);
  const result: PaymentsConfig = {
    pollAfterSeconds: env.int("PAYMENT_POLL_AFTER_SECONDS", 300, 0, 7 * 24 * 3600),
    pollEverySeconds: env.int("PAYMENT_POLL_EVERY_SECONDS", 60, 1, 3600),
    proofDir: env.str("PAYMENT_PROOF_DIR", "./data/payment-proofs"),
    proofMaxBytes: env.int("PAYMENT_PROOF_MAX_BYTES", 700_000, 1024, 50_000_000),
    storeUrl: () => storeUrl().replace(/\/$/, ""),
    sandbox: config.providersMode === "sandbox",
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return result;
}
