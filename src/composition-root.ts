import { Router } from "express";
import type { GraphQLSchema } from "graphql";
import type { EntityManager } from "typeorm";
import type { Infrastructure } from "./core/infrastructure";
import type { Authenticator } from "./core/context";
import { GUEST } from "./core/context";
import type { ReadinessCheck } from "./core/http-server";
import { applyPermissions, mergePermissions } from "./core/permissions";
import type { Simulator } from "./sandbox/sandbox-server";
import { buildAppSchema, RESOLVERS } from "./schema";
import { SystemResolver } from "./modules/system/system.resolver";
import { systemPermissions } from "./modules/system/system.permissions";
import { seedIdentity } from "./modules/identity/identity.seed";
import packageJson from "../package.json";
// ordering + payments
import { AuditService } from "./modules/audit/audit.service";
import { OrderEventOutbox } from "./modules/ordering/order-events";
import { OrderService } from "./modules/ordering/ordering.service";
import { loadOrderingConfig } from "./modules/ordering/ordering.config";
import { OrderingResolver } from "./modules/ordering/ordering.resolver";
import { orderingPermissions } from "./modules/ordering/ordering.permissions";
import { startOrderExpiry } from "./modules/ordering/order-expiry.processor";
import { PaymentService } from "./modules/payments/payments.service";
import { ManualTransferService } from "./modules/payments/manual-transfer.service";
import { loadPaymentsConfig } from "./modules/payments/payments.config";
import { PaymentsResolver } from "./modules/payments/payments.resolver";
import { paymentsPermissions } from "./modules/payments/payments.permissions";
import { paymentWebhooks } from "./modules/payments/payments.webhooks";
import { startPaymentProcessors } from "./modules/payments/payments.processor";
import { seedPayments } from "./modules/payments/payments.seed";
import { DiskProofStorage } from "./modules/payments/proof-storage";
import { GatewayRegistry } from "./modules/payments/gateways/gateway-registry";
import { TripayAdapter } from "./modules/payments/gateways/tripay/tripay.adapter";
import { loadTripayConfig } from "./modules/payments/gateways/tripay/tripay.config";
import { postJson } from "./core/http-client";

/** Where the provider simulators listen in sandbox mode, and how they reach the store back. */
export interface SandboxLinks {
  baseUrl: string;
  storeUrl: () => string;
}

export interface Composition {
  schema: GraphQLSchema;
  authenticate: Authenticator;
  webhooks: Router;
  readiness: ReadinessCheck[];
  simulators: Simulator[];
  /** Registers the Bull processors and repeatable jobs of the worker role. */
  startWorker(): Promise<void>;
  /** Fills an empty database with the demo store. */
  seedDemo(manager: EntityManager): Promise<void>;
  /** Services other modules and the integration (checkout) call. */
  services: { orders: OrderService; payments: PaymentService; manualTransfers: ManualTransferService };
}

/**
 * The one place where services, adapters, resolvers and processors are built
 * and wired together. Everything a module needs is passed in here.
 */
export async function compose(infra: Infrastructure, sandbox: SandboxLinks): Promise<Composition> {
  const { config, dataSource, redis, queues, eventBus, logger } = infra;
  const audit = new AuditService();

  // ordering + payments (hooks: fulfilment, vouchers/points and the wallet plug in at integration)
  const orderingConfig = loadOrderingConfig(config);
  const paymentsConfig = loadPaymentsConfig(config, sandbox.storeUrl);
  const orders = new OrderService(dataSource, OrderEventOutbox.install(dataSource, eventBus, logger), orderingConfig);
  const tripayConfig = loadTripayConfig(config, sandbox.baseUrl);
  const gateways = new GatewayRegistry().register(new TripayAdapter(tripayConfig), async (payment) => {
    const answer = await postJson(`${sandbox.baseUrl}/tripay/__sim/transactions/${encodeURIComponent(payment.gatewayReference ?? "")}/pay`, {});
    if (answer.status !== 200) throw new Error(`Tripay simulator refused to pay (HTTP ${answer.status})`);
  });
  const payments = new PaymentService(dataSource, orders, gateways, queues, audit, paymentsConfig, logger);
  const manualTransfers = new ManualTransferService(dataSource, orders, new DiskProofStorage(paymentsConfig.proofDir), audit, paymentsConfig);
  const webhooks = Router();
  webhooks.use(paymentWebhooks(payments, logger));

  const resolvers = new Map<Function, object>([
    [SystemResolver, new SystemResolver({ name: "Lapak", version: packageJson.version, providersMode: config.providersMode })],
    [OrderingResolver, new OrderingResolver(orders)],
    [PaymentsResolver, new PaymentsResolver(payments, manualTransfers, orders)],
  ]);
  for (const resolver of RESOLVERS) {
    if (!resolvers.has(resolver)) throw new Error(`resolver ${resolver.name} is not wired in the composition root`);
  }

  const schema = await buildAppSchema({
    pubSub: eventBus.pubSub,
    container: { get: (cls) => resolvers.get(cls as Function) },
  });
  const permissions = mergePermissions([systemPermissions, orderingPermissions, paymentsPermissions]);

  return {
    schema: applyPermissions(schema, permissions),
    authenticate: async () => GUEST,
    webhooks,
    readiness: [
      { name: "mysql", check: async () => void (await dataSource.query("SELECT 1")) },
      { name: "redis", check: async () => void (await redis.ping()) },
      { name: "queues", check: () => queues.ping() },
    ],
    simulators: [],
    startWorker: async () => {
      await startOrderExpiry(queues, orders, orderingConfig.expirySweepSeconds, logger);
      await startPaymentProcessors(queues, payments, paymentsConfig.pollEverySeconds, logger);
    },
    seedDemo: async (manager) => {
      await seedIdentity(manager, config.bcryptCost);
      await seedPayments(manager);
    },
    services: { orders, payments, manualTransfers },
  };
}
