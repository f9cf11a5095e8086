import type { GraphQLSchema } from "graphql";
import type { EntityManager } from "typeorm";
import type { Infrastructure } from "./core/infrastructure";
import type { Authenticator, RevocationFeed } from "./core/context";
import type { ReadinessCheck } from "./core/http-server";
import type { WebhookEndpoint } from "./core/webhook-intake";
import { applyPermissions, mergePermissions } from "./core/permissions";
import type { Simulator } from "./sandbox/sandbox-server";
import { buildAppSchema, RESOLVERS } from "./schema";
import { SystemResolver } from "./modules/system/system.resolver";
import { systemPermissions } from "./modules/system/system.permissions";
import { seedIdentity } from "./modules/identity/identity.seed";
import { AuditService } from "./modules/audit/audit.service";
// identity, audit, notifications (issue 3)
import { buildIdentity } from "./modules/identity/identity.module";
import { identityPermissions } from "./modules/identity/identity.permissions";
import { auditPermissions } from "./modules/audit/audit.permissions";
import { AuditResolver } from "./modules/audit/audit.resolver";
import { buildNotificationOutbox, type NotificationOutboxService } from "./modules/notifications/notification-outbox.service";
import { startNotificationProcessor } from "./modules/notifications/notification.processor";
// wallet, promotions, points (issue 5)
import { WalletService } from "./modules/wallet/wallet.service";
import { WalletResolver } from "./modules/wallet/wallet.resolver";
import { walletPermissions } from "./modules/wallet/wallet.permissions";
import { VoucherService } from "./modules/promotions/voucher.service";
import { VoucherAdminService } from "./modules/promotions/voucher-admin.service";
import { PromotionsResolver } from "./modules/promotions/promotions.resolver";
import { promotionsPermissions } from "./modules/promotions/promotions.permissions";
import { seedPromotions } from "./modules/promotions/promotions.seed";
import { pointsRulesFromSettings } from "./modules/points/points.config";
import { PointsService } from "./modules/points/points.service";
import { PointsResolver } from "./modules/points/points.resolver";
import { pointsPermissions } from "./modules/points/points.permissions";
// fulfillment: Digiflazz supplier + purchase engine (issue 6)
import { loadDigiflazzConfig } from "./modules/fulfillment/digiflazz/digiflazz.config";
import { DigiflazzClient } from "./modules/fulfillment/digiflazz/digiflazz.client";
import { digiflazzWebhook } from "./modules/fulfillment/digiflazz/digiflazz.webhook";
import { loadFulfillmentConfig } from "./modules/fulfillment/fulfillment.config";
import { SUPPLIER_QUEUE, SupplierPurchaseService, type SupplierJob } from "./modules/fulfillment/supplier-purchase.service";
import { startSupplierProcessor } from "./modules/fulfillment/supplier.processor";
import { startFulfillmentProcessor } from "./modules/fulfillment/fulfillment.processor";
// catalog, pricing, cms (issue 4)
import { MemberLevel } from "./modules/identity/member-level.entity";
import { CatalogCache, loadCatalogCacheTtl } from "./modules/catalog/catalog-cache";
import { CatalogService } from "./modules/catalog/catalog.service";
import { CatalogImportService } from "./modules/catalog/catalog-import.service";
import { CatalogResolver, ProductFieldsResolver, VariantFieldsResolver } from "./modules/catalog/catalog.resolver";
import { catalogPermissions } from "./modules/catalog/catalog.permissions";
import { seedCatalog } from "./modules/catalog/catalog.seed";
import { PricingService } from "./modules/pricing/pricing.service";
import { loadPricingConfig } from "./modules/pricing/pricing.config";
import { PricingResolver } from "./modules/pricing/pricing.resolver";
import { pricingPermissions } from "./modules/pricing/pricing.permissions";
import { CmsService } from "./modules/cms/cms.service";
import { SettingsService } from "./modules/cms/settings.service";
import { CmsResolver } from "./modules/cms/cms.resolver";
import { cmsPermissions } from "./modules/cms/cms.permissions";
import { seedCms } from "./modules/cms/cms.seed";
// catalog: Digiflazz price-list sync (issue 4)
import { SupplierSyncService } from "./modules/catalog/supplier-sync.service";
import { loadSupplierSyncConfig } from "./modules/catalog/supplier-sync.config";
import { SupplierSyncResolver } from "./modules/catalog/supplier-sync.resolver";
import { SUPPLIER_SYNC_QUEUE, startSupplierSyncProcessor } from "./modules/catalog/supplier-sync.processor";
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
// ordering + payments
import { OrderEventPublisher } from "./modules/ordering/order-events";
import { OrderTracker, bindTracker } from "./modules/ordering/order-tracking";
import { OrderSubscriptionsResolver } from "./modules/ordering/order-subscriptions.resolver";
import { OrderStatus } from "./modules/ordering/order-state";
import { FulfillmentService } from "./modules/fulfillment/fulfillment.service";
import { REFUND_QUEUE, RefundService, type RefundJob } from "./modules/refunds/refund.service";
import { startRefundProcessor } from "./modules/refunds/refund.processor";
import { loadRefundConfig } from "./modules/refunds/refund.config";
import { orderNotifier } from "./modules/notifications/order-notifier";
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
import { MidtransAdapter, midtransSandboxPayer } from "./modules/payments/gateways/midtrans/midtrans.adapter";
import { loadMidtransConfig } from "./modules/payments/gateways/midtrans/midtrans.config";
import { DuitkuAdapter, duitkuSandboxPayer } from "./modules/payments/gateways/duitku/duitku.adapter";
import { loadDuitkuConfig } from "./modules/payments/gateways/duitku/duitku.config";
import { TokopayAdapter } from "./modules/payments/gateways/tokopay/tokopay.adapter";
import { loadTokopayConfig } from "./modules/payments/gateways/tokopay/tokopay.config";
// checkout (issue 5): checkout/payOrder, and the voucher/points/stock/wallet side of the order life
import { CheckoutService } from "./modules/ordering/checkout.service";
import { CheckoutResolver } from "./modules/ordering/checkout.resolver";
import { checkoutPermissions } from "./modules/ordering/checkout.permissions";
import { checkoutLifecycle } from "./modules/ordering/order-lifecycle";
import { XenditAdapter } from "./modules/payments/gateways/xendit/xendit.adapter";
import { loadXenditConfig } from "./modules/payments/gateways/xendit/xendit.config";
// staff operations: queues, failed jobs, items awaiting staff, supplier deposit
import { StaffDirectory } from "./modules/identity/staff-directory";
import { loadOperationsConfig } from "./modules/operations/operations.config";
import { OperationsService } from "./modules/operations/operations.service";
import { OperationsResolver } from "./modules/operations/operations.resolver";
import { operationsPermissions } from "./modules/operations/operations.permissions";
import { SUPPLIER_BALANCE_QUEUE, SupplierBalanceMonitor, startSupplierBalanceProcessor } from "./modules/operations/supplier-balance";

/** Where the provider simulators listen in sandbox mode, and how they reach the store back. */
export interface SandboxLinks {
  baseUrl: string;
  storeUrl: () => string;
}

/** Services other modules (and tests) call. */
export interface Services {
  audit: AuditService;
  catalog: CatalogService;
  catalogImport: CatalogImportService;
  catalogCache: CatalogCache;
  pricing: PricingService;
  cms: CmsService;
  settings: SettingsService;
  orders: OrderService;
  payments: PaymentService;
  manualTransfers: ManualTransferService;
  supplierSync: SupplierSyncService;
  /** Set by the checkout block below. */
  checkouts?: CheckoutService;
  /** Set by the fulfilment block below. */
  fulfillment?: FulfillmentService;
  refunds?: RefundService;
  supplierPurchases?: SupplierPurchaseService;
  notifications?: NotificationService;
  outbox?: NotificationOutboxService;
  operations?: OperationsService;
  supplierBalance?: SupplierBalanceMonitor;
}

export interface Composition {
  services: Services;
  schema: GraphQLSchema;
  authenticate: Authenticator;
  /** Revoked credentials, so the HTTP server can close their live WebSocket connections. */
  revocations?: RevocationFeed;
  /** The provider callback endpoints, served under POST /webhooks/<provider>. */
  webhooks: WebhookEndpoint[];
  readiness: ReadinessCheck[];
  simulators: Simulator[];
  /** Registers the Bull processors and repeatable jobs of the worker role. */
  startWorker(): Promise<void>;
  /** Fills an empty database with the demo store. */
  seedDemo(manager: EntityManager): Promise<void>;
}

/** Every module's shield map, merged (the schema-coverage test walks the schema against this). */
export function allPermissions() {
  return mergePermissions([
    systemPermissions,
    identityPermissions,
    auditPermissions,
    walletPermissions,
    promotionsPermissions,
    pointsPermissions,
    catalogPermissions,
    pricingPermissions,
    cmsPermissions,
    orderingPermissions,
    paymentsPermissions,
    notificationsPermissions,
    resellerWebhookPermissions,
    checkoutPermissions,
    operationsPermissions,
  ]);
}

/**
 * The one place where services, adapters, resolvers and processors are built
 * and wired together. Everything a module needs is passed in here.
 */
export async function compose(infra: Infrastructure, sandbox: SandboxLinks): Promise<Composition> {
  const { config, dataSource, redis, queues, eventBus, logger } = infra;
  const webhooks: WebhookEndpoint[] = [];

  const audit = new AuditService(dataSource);

  // identity, audit, notifications (issue 3)
  const outbox = buildNotificationOutbox(dataSource, config, infra.logger);
  const identity = buildIdentity({ config, dataSource, redis, eventBus, audit, outbox });

  // wallet, promotions, points (issue 5): the checkout calls these services inside its transaction
  const wallet = new WalletService(dataSource, audit);
  const vouchers = new VoucherService(dataSource);
  const voucherAdmin = new VoucherAdminService(dataSource, audit);

  // fulfillment: Digiflazz supplier + purchase engine (issue 6)
  const digiflazzConfig = loadDigiflazzConfig(config, { sandboxUrl: sandbox.baseUrl, storeUrl: sandbox.storeUrl });
  const supplier = new DigiflazzClient(digiflazzConfig);
  const fulfillmentConfig = loadFulfillmentConfig(config, digiflazzConfig.timeoutMs);
  let fulfillment: FulfillmentService | undefined;
  const supplierPurchases = new SupplierPurchaseService({
    dataSource,
    supplier,
    queue: queues.get<SupplierJob>(SUPPLIER_QUEUE),
    config: fulfillmentConfig,
    logger,
    audit,
    // fulfilment (below) moves the order item to SUCCESS / FAILED (refund) / staff, idempotently
    onResult: (result) => fulfillment!.onSupplierResult(result),
  });
  webhooks.push(digiflazzWebhook(supplier, supplierPurchases, dataSource, logger));

  // --- catalog, pricing, cms (issue 4) ---
  const catalogCache = new CatalogCache(redis, config.redisPrefix, loadCatalogCacheTtl());
  // member_levels belongs to identity; read the codes here until identity exposes a level service
  const levelCodes = async () => (await dataSource.getRepository(MemberLevel).find({ order: { rank: "ASC" } })).map((level) => level.code);
  let catalog: CatalogService | undefined;
  const pricing = new PricingService(dataSource, audit, loadPricingConfig(), () => catalog!, levelCodes, catalogCache);
  catalog = new CatalogService(dataSource, audit, pricing, catalogCache);
  const catalogImport = new CatalogImportService(dataSource, audit, catalog, pricing);
  const cms = new CmsService(dataSource, audit);
  const settings = new SettingsService(dataSource, audit);
  // points rules live in the store settings (one source of truth), read on every earn/redemption
  const points = new PointsService(dataSource, async (manager) => pointsRulesFromSettings(await settings.get(manager)));
  // Digiflazz price-list sync: admin mutation + repeatable job (CATALOG_SYNC_INTERVAL_MINUTES)
  const supplierSyncConfig = loadSupplierSyncConfig();
  const supplierSync = new SupplierSyncService(dataSource, audit, catalog, pricing, supplier, supplierSyncConfig);
  

  // ordering + payments (hooks: fulfilment, vouchers/points and the wallet plug in at integration)
  const orderingConfig = loadOrderingConfig(config);
  const paymentsConfig = loadPaymentsConfig(config, sandbox.storeUrl);
  const orders = new OrderService(dataSource, new OrderEventPublisher(eventBus, logger), orderingConfig);
  const tripayConfig = loadTripayConfig(config, sandbox.baseUrl);
  // Gateways read their sandbox base URL from where the simulators really listen (a random port in tests).
  const gatewayContext = { ...config, sandboxUrl: sandbox.baseUrl };
  const simulatorPay = (path: (payment: { reference: string; gatewayReference: string | null }) => string) =>
    async (payment: { reference: string; gatewayReference: string | null }) => {
      const answer = await postJson(`${sandbox.baseUrl}${path(payment)}`, {});
      if (answer.status !== 200) throw new Error(`the simulator refused to pay (HTTP ${answer.status})`);
    };
  const gateways = new GatewayRegistry()
    .register(new TripayAdapter(tripayConfig), simulatorPay((p) => `/tripay/__sim/transactions/${encodeURIComponent(p.gatewayReference ?? "")}/pay`))
    .register(new MidtransAdapter(loadMidtransConfig(config, sandbox.baseUrl)), midtransSandboxPayer(sandbox.baseUrl))
    .register(new DuitkuAdapter(loadDuitkuConfig(config, sandbox.baseUrl)), duitkuSandboxPayer(sandbox.baseUrl))
    .register(new TokopayAdapter(loadTokopayConfig(gatewayContext)), simulatorPay((p) => `/tokopay/__sim/orders/${encodeURIComponent(p.reference)}/pay`))
    .register(new XenditAdapter(loadXenditConfig(gatewayContext)), simulatorPay((p) => `/xendit/__sim/invoices/${encodeURIComponent(p.gatewayReference ?? "")}/pay`));
  const payments = new PaymentService(dataSource, orders, gateways, queues, audit, paymentsConfig, logger, eventBus);
  const manualTransfers = new ManualTransferService(dataSource, orders, new DiskProofStorage(paymentsConfig.proofDir), audit, paymentsConfig);
  webhooks.push(paymentWebhooks(payments));

  const services: Services = { audit, catalog, catalogImport, catalogCache, pricing, cms, settings, orders, payments, manualTransfers, supplierSync };

  // notifications (issue 6): other modules call notifications.notify(manager, ...) and webhooks.enqueue(manager, ...)
  const secretBox = new SecretBox(config.encryptionKey);
  const notifications = new NotificationService(dataSource, eventBus);
  const webhookConfig = loadResellerWebhookConfig(config);
  const webhookQueue = queues.get<DeliveryJob>(RESELLER_WEBHOOK_QUEUE);
  const resellerWebhooks = new ResellerWebhookService(dataSource, webhookQueue, secretBox, webhookConfig, infra.logger);

  const resolvers = new Map<Function, object>([
    [SystemResolver, new SystemResolver({ name: "Lapak", version: packageJson.version, providersMode: config.providersMode })],
    ...identity.resolvers,
    [AuditResolver, new AuditResolver(audit)],
    [WalletResolver, new WalletResolver(wallet)],
    [PromotionsResolver, new PromotionsResolver(vouchers, voucherAdmin)],
    [PointsResolver, new PointsResolver(points)],
    [CatalogResolver, new CatalogResolver(catalog, catalogImport)],
    [ProductFieldsResolver, new ProductFieldsResolver(catalog)],
    [VariantFieldsResolver, new VariantFieldsResolver(pricing)],
    [PricingResolver, new PricingResolver(pricing)],
    [CmsResolver, new CmsResolver(cms, settings)],
    [SupplierSyncResolver, new SupplierSyncResolver(supplierSync)],
    [OrderingResolver, new OrderingResolver(orders)],
    [PaymentsResolver, new PaymentsResolver(payments, manualTransfers, orders)],
    [NotificationsResolver, new NotificationsResolver(notifications)],
    [ResellerWebhookResolver, new ResellerWebhookResolver(resellerWebhooks)],
  ]);
  // --- checkout (issue 5) ---
  const checkouts = new CheckoutService(dataSource, { orders, catalog, payments, vouchers, points, wallet, identity: identity.identity, logger, redis, redisPrefix: config.redisPrefix });
  resolvers.set(CheckoutResolver, new CheckoutResolver(checkouts));
  services.checkouts = checkouts;
  const lifecycle = checkoutLifecycle({ vouchers, points, catalog, wallet });
  payments.setLatePaymentHandler(lifecycle.onLatePayment);

  // --- fulfilment, refunds, live order status (issue 6) ---
  fulfillment = new FulfillmentService({ dataSource, orders, supplierPurchases, audit, logger, stuckAfterMs: fulfillmentConfig.processingStuckMs });
  const refundQueue = queues.get<RefundJob>(REFUND_QUEUE);
  const refundConfig = loadRefundConfig();
  const refunds = new RefundService({ dataSource, orders, payments, wallet, points, notifications, queue: refundQueue, logger, sweepGraceMs: refundConfig.sweepGraceMs });
  const notifyOrder = orderNotifier({ notifications, webhooks: resellerWebhooks, outbox });
  const paidHooks = [lifecycle.onOrderPaid, fulfillment.onOrderPaid];
  // The whole order life in one place: each hook runs inside the transaction of the change.
  orders.setHooks({
    onOrderPaid: async (manager, order) => {
      for (const hook of paidHooks) await hook(manager, order);
    },
    onOrderReleased: lifecycle.onOrderReleased,
    onStatusChanged: async (manager, order, from, meta) => {
      await notifyOrder(manager, order, from, meta);
      if (order.status === OrderStatus.SUCCESS) await lifecycle.onOrderSucceeded(manager, order);
      if (order.status === OrderStatus.FAILED) await refunds.onOrderFailed(manager, order);
    },
  });
  resolvers.set(OrderSubscriptionsResolver, new OrderSubscriptionsResolver());
  Object.assign(services, { fulfillment, refunds, supplierPurchases, notifications, outbox });
  // staff operations over the queues and fulfilment; the deposit check alerts ADMIN and BILLING once per crossing
  const operationsConfig = loadOperationsConfig();
  const supplierBalance = new SupplierBalanceMonitor({
    dataSource,
    readBalance: () => supplierPurchases.balance(),
    notifications,
    staff: new StaffDirectory(dataSource),
    redis,
    redisPrefix: config.redisPrefix,
    logger,
    lowThreshold: operationsConfig.supplierLowBalance,
  });
  const operations = new OperationsService({ dataSource, queues, audit, fulfillment, supplierBalance });
  resolvers.set(OperationsResolver, new OperationsResolver(operations, orders));
  Object.assign(services, { operations, supplierBalance });
  // --- end checkout ---

  for (const resolver of RESOLVERS) {
    if (!resolvers.has(resolver)) throw new Error(`resolver ${resolver.name} is not wired in the composition root`);
  }

  const schema = await buildAppSchema({
    pubSub: eventBus.pubSub,
    container: { get: (cls) => resolvers.get(cls as Function) },
  });
  const servedSchema = applyPermissions(schema, allPermissions());
  bindTracker(servedSchema, new OrderTracker(orders, eventBus));

  return {
    services,
    schema: servedSchema,
    authenticate: identity.authenticate,
    revocations: identity.revocations.feed,
    webhooks,
    readiness: [
      { name: "mysql", check: async () => void (await dataSource.query("SELECT 1")) },
      { name: "redis", check: async () => void (await redis.ping()) },
      { name: "queues", check: () => queues.ping() },
    ],
    simulators: [],
    startWorker: async () => {
      await startSupplierProcessor(queues.get<SupplierJob>(SUPPLIER_QUEUE), supplierPurchases, fulfillmentConfig);
      await startFulfillmentProcessor(queues, fulfillment!, fulfillmentConfig);
      await startSupplierBalanceProcessor(queues.get(SUPPLIER_BALANCE_QUEUE), supplierBalance, operationsConfig.supplierBalanceCheckEveryMs, logger);
      await startRefundProcessor(refundQueue, refunds, refundConfig.sweepEveryMs);
      await startNotificationProcessor(queues, outbox);
      await startOrderExpiry(queues, orders, orderingConfig.expirySweepSeconds, logger);
      await startPaymentProcessors(queues, payments, paymentsConfig, logger);
      await startResellerWebhookWorker(webhookQueue, queues.get(RESELLER_WEBHOOK_SWEEP_QUEUE), resellerWebhooks, webhookConfig);
      await startSupplierSyncProcessor(queues.get(SUPPLIER_SYNC_QUEUE), supplierSync, supplierSyncConfig.intervalMinutes, logger);
    },
    seedDemo: async (manager) => {
      await seedIdentity(manager, config.bcryptCost);
      await seedPromotions(manager);
      await seedCatalog(manager, services);
      await seedCms(manager);
      await seedPayments(manager);
      await catalogCache.invalidate();
    },
  };
}
