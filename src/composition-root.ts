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
import { AuditService } from "./modules/audit/audit.service";
// wallet, promotions, points (issue 5)
import { WalletService } from "./modules/wallet/wallet.service";
import { WalletResolver } from "./modules/wallet/wallet.resolver";
import { walletPermissions } from "./modules/wallet/wallet.permissions";
import { VoucherService } from "./modules/promotions/voucher.service";
import { VoucherAdminService } from "./modules/promotions/voucher-admin.service";
import { PromotionsResolver } from "./modules/promotions/promotions.resolver";
import { promotionsPermissions } from "./modules/promotions/promotions.permissions";
import { seedPromotions } from "./modules/promotions/promotions.seed";
import { loadPointsRules } from "./modules/points/points.config";
import { PointsService } from "./modules/points/points.service";
import { PointsResolver } from "./modules/points/points.resolver";
import { pointsPermissions } from "./modules/points/points.permissions";
// notifications: in-app notifications and reseller webhooks (issue 6)
import { SecretBox } from "./core/secret-box";
import { NotificationService } from "./modules/notifications/notifications.service";
import { NotificationsResolver } from "./modules/notifications/notifications.resolver";
import { notificationsPermissions } from "./modules/notifications/notifications.permissions";
import { loadResellerWebhookConfig } from "./modules/notifications/reseller-webhook.config";
import { RESELLER_WEBHOOK_QUEUE, ResellerWebhookService, type DeliveryJob } from "./modules/notifications/reseller-webhook.service";
import { ResellerWebhookResolver } from "./modules/notifications/reseller-webhook.resolver";
import { resellerWebhookPermissions } from "./modules/notifications/reseller-webhook.permissions";
import { RESELLER_WEBHOOK_SWEEP_QUEUE, startResellerWebhookWorker } from "./modules/notifications/reseller-webhook.processor";
import packageJson from "../package.json";

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
}

/**
 * The one place where services, adapters, resolvers and processors are built
 * and wired together. Everything a module needs is passed in here.
 */
export async function compose(infra: Infrastructure, _sandbox: SandboxLinks): Promise<Composition> {
  const { config, dataSource, redis, queues, eventBus } = infra;

  const audit = new AuditService();

  // wallet, promotions, points (issue 5): the checkout calls these services inside its transaction
  const wallet = new WalletService(dataSource, audit);
  const vouchers = new VoucherService(dataSource);
  const voucherAdmin = new VoucherAdminService(dataSource, audit);
  const points = new PointsService(dataSource, loadPointsRules());

  // notifications (issue 6): other modules call notifications.notify(manager, ...) and webhooks.enqueue(manager, ...)
  const secretBox = new SecretBox(config.encryptionKey);
  const notifications = new NotificationService(dataSource, eventBus);
  const webhookConfig = loadResellerWebhookConfig(config);
  const webhookQueue = queues.get<DeliveryJob>(RESELLER_WEBHOOK_QUEUE);
  const webhooks = new ResellerWebhookService(dataSource, webhookQueue, secretBox, webhookConfig, infra.logger);

  const resolvers = new Map<Function, object>([
    [SystemResolver, new SystemResolver({ name: "Lapak", version: packageJson.version, providersMode: config.providersMode })],
    [WalletResolver, new WalletResolver(wallet)],
    [PromotionsResolver, new PromotionsResolver(vouchers, voucherAdmin)],
    [PointsResolver, new PointsResolver(points)],
    [NotificationsResolver, new NotificationsResolver(notifications)],
    [ResellerWebhookResolver, new ResellerWebhookResolver(webhooks)],
  ]);
  for (const resolver of RESOLVERS) {
    if (!resolvers.has(resolver)) throw new Error(`resolver ${resolver.name} is not wired in the composition root`);
  }

  const schema = await buildAppSchema({
    pubSub: eventBus.pubSub,
    container: { get: (cls) => resolvers.get(cls as Function) },
  });
  const permissions = mergePermissions([systemPermissions, walletPermissions, promotionsPermissions, pointsPermissions, notificationsPermissions, resellerWebhookPermissions]);

  return {
    schema: applyPermissions(schema, permissions),
    authenticate: async () => GUEST,
    webhooks: Router(),
    readiness: [
      { name: "mysql", check: async () => void (await dataSource.query("SELECT 1")) },
      { name: "redis", check: async () => void (await redis.ping()) },
      { name: "queues", check: () => queues.ping() },
    ],
    simulators: [],
    startWorker: async () => {
      await startResellerWebhookWorker(webhookQueue, queues.get(RESELLER_WEBHOOK_SWEEP_QUEUE), webhooks, webhookConfig);
    },
    seedDemo: async (manager) => {
      await seedIdentity(manager, config.bcryptCost);
      await seedPromotions(manager);
    },
  };
}
