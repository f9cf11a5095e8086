import { ConfigError, type AppConfig } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface PaymentsConfig {
  /** A payment still pending this long after creation is confirmed by polling the gateway. */
  pollAfterSeconds: number;
  pollEverySeconds: number;
  /** Suspect callbacks (a claimed amount that is not the payment's) one worker process settles per second at most. */
  suspectCallbacksPerSecond: number;
  proofDir: string;
  proofMaxBytes: number;
  /** How gateways reach the store: CALLBACK_URL, else PUBLIC_URL (the actual port in tests); callbacks go to <it>/webhooks/<gateway>. */
  storeUrl: () => string;
  sandbox: boolean;
}

export function loadPaymentsConfig(config: AppConfig, storeUrl: () => string, source: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const env = new EnvReader(source);
  const result: PaymentsConfig = {
    pollAfterSeconds: env.int("PAYMENT_POLL_AFTER_SECONDS", 300, 0, 7 * 24 * 3600),
    pollEverySeconds: env.int("PAYMENT_POLL_EVERY_SECONDS", 60, 1, 3600),
    suspectCallbacksPerSecond: env.int("SUSPECT_CALLBACKS_PER_SECOND", 10, 1, 1000),
    proofDir: env.str("PAYMENT_PROOF_DIR", "./data/payment-proofs"),
    proofMaxBytes: env.int("PAYMENT_PROOF_MAX_BYTES", 700_000, 1024, 50_000_000),
    storeUrl: () => storeUrl().replace(/\/$/, ""),
    sandbox: config.providersMode === "sandbox",
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return result;
}
