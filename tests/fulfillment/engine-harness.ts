import http from "node:http";
import { ulid } from "ulid";
import { Infrastructure } from "../../src/core/infrastructure";
import { createLogger } from "../../src/core/logger";
import { SandboxServer } from "../../src/sandbox/sandbox-server";
import { stopTimers } from "../../src/sandbox/sim-kit";
import { createDigiflazzSimulator, type SimTransaction } from "../../src/sandbox/digiflazz/digiflazz.simulator";
import { AuditService } from "../../src/modules/audit/audit.service";
import { DigiflazzClient } from "../../src/modules/fulfillment/digiflazz/digiflazz.client";
import { loadDigiflazzConfig } from "../../src/modules/fulfillment/digiflazz/digiflazz.config";
import { digiflazzWebhook } from "../../src/modules/fulfillment/digiflazz/digiflazz.webhook";
import { serveWebhook } from "../../src/core/webhook-intake";
import { loadFulfillmentConfig } from "../../src/modules/fulfillment/fulfillment.config";
import { SupplierPurchase } from "../../src/modules/fulfillment/supplier-purchase.entity";
import {
  SUPPLIER_QUEUE,
  SupplierPurchaseService,
  type PurchaseRef,
  type PurchaseRequestInput,
  type SupplierJob,
  type SupplierPurchaseResult,
} from "../../src/modules/fulfillment/supplier-purchase.service";
import { startSupplierProcessor } from "../../src/modules/fulfillment/supplier.processor";
import { TEST_REDIS_PREFIX, testConfig } from "../helpers/env";

/**
 * The purchase engine on its own, with everything real: the test MySQL, Redis
 * and Bull (under a prefix of its own, so no other store's worker takes its
 * jobs), the Digiflazz simulator over HTTP, and an HTTP server carrying
 * POST /webhooks/digiflazz with the raw body, as the store mounts it.
 */
export async function startEngine(options: { worker?: boolean; prefix?: string } = {}) {
  const config = testConfig({ REDIS_PREFIX: options.prefix ?? `${TEST_REDIS_PREFIX}_engine` });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL || "error", format: "json" });
  const infra = await Infrastructure.connect(config, logger);
  const queue = infra.queues.get<SupplierJob>(SUPPLIER_QUEUE);
  await queue.obliterate({ force: true }); // leftovers of an earlier run

  let storeUrl = "";
  const simulator = createDigiflazzSimulator({ storeUrl: () => storeUrl }, logger, { pending_delay_ms: 300, webhook_retry_interval_ms: 100 });
  const sandbox = new SandboxServer([simulator], logger);
  const sandboxUrl = `http://127.0.0.1:${await sandbox.start(0)}`;
  const simUrl = `${sandboxUrl}/digiflazz`;

  const digiflazzConfig = loadDigiflazzConfig({ providersMode: "sandbox" }, { sandboxUrl, storeUrl: () => storeUrl }, { DIGIFLAZZ_TIMEOUT_MS: "400" });
  const supplier = new DigiflazzClient(digiflazzConfig);
  const engineConfig = loadFulfillmentConfig({ providersMode: "sandbox" }, digiflazzConfig.timeoutMs, {
    SUPPLIER_RECHECK_MIN_MS: "150",
    SUPPLIER_RECHECK_MAX_MS: "600",
    SUPPLIER_STUCK_AFTER_MS: "0",
    SUPPLIER_SWEEP_EVERY_MS: "3600000",
    SUPPLIER_RESULT_RETRY_MS: "50",
  });
  const results: SupplierPurchaseResult[] = [];
  const listener = { fail: 0 };
  const service = new SupplierPurchaseService({
    dataSource: infra.dataSource,
    supplier,
    queue,
    config: engineConfig,
    logger,
    audit: new AuditService(),
    onResult: async (result) => {
      if (listener.fail > 0) {
        listener.fail -= 1;
        throw new Error("ordering is down");
      }
      results.push(result);
    },
  });

  const webhook = digiflazzWebhook(supplier, service, infra.dataSource, logger);
  const server = http.createServer((req, res) => void serveWebhook([webhook], req, res, logger));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  storeUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  if (options.worker !== false) await startSupplierProcessor(queue, service, engineConfig);

  const sim = {
    async get<T = any>(path: string): Promise<T> {
      return (await (await fetch(`${simUrl}/__sim${path}`)).json()) as T;
    },
    async post<T = any>(path: string, body: unknown = {}): Promise<T> {
      const response = await fetch(`${simUrl}/__sim${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return (await response.json()) as T;
    },
    async transactions(refId?: string): Promise<SimTransaction[]> {
      const { transactions } = await sim.get<{ transactions: SimTransaction[] }>("/transactions");
      return refId ? transactions.filter((tx) => tx.ref_id === refId) : transactions;
    },
    async deposit(): Promise<number> {
      return (await sim.get<{ deposit: number }>("/transactions")).deposit;
    },
    async clearFaults(): Promise<void> {
      await fetch(`${simUrl}/__sim/faults`, { method: "DELETE" });
    },
  };

  return {
    infra,
    queue,
    service,
    supplier,
    engineConfig,
    listener,
    results,
    sim,
    simUrl,
    get storeUrl() {
      return storeUrl;
    },
    resultsFor: (orderItemId: string) => results.filter((r) => r.orderItemId === orderItemId),
    row: (id: string) => infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ id }),
    async request(input: Partial<PurchaseRequestInput> & { customerNo: string }): Promise<PurchaseRef> {
      return infra.dataSource.transaction((manager) =>
        service.request(manager, { orderItemId: ulid(), sku: "TSEL10", maxPrice: 20_000, ...input }),
      );
    },
    async stop() {
      await infra.queues.close();
      stopTimers();
      await sandbox.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await infra.close();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof startEngine>>;

/** Polls until `check` returns a truthy value (or fails the test after `ms`). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}
