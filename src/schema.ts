import { CheckoutResolver } from "./modules/ordering/checkout.resolver";
import { buildSchema, type ContainerType } from "type-graphql";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import type { PubSub } from "type-graphql";
import { SystemResolver } from "./modules/system/system.resolver";
import { IdentityResolver } from "./modules/identity/identity.resolver";
import { ApiTokenResolver } from "./modules/identity/api-token.resolver";
import { UserAdminResolver } from "./modules/identity/user-admin.resolver";
import { AuditResolver } from "./modules/audit/audit.resolver";
import { WalletResolver } from "./modules/wallet/wallet.resolver";
import { PromotionsResolver } from "./modules/promotions/promotions.resolver";
import { PointsResolver } from "./modules/points/points.resolver";
import { SupplierSyncResolver } from "./modules/catalog/supplier-sync.resolver";
import { CatalogResolver, ProductFieldsResolver, VariantFieldsResolver } from "./modules/catalog/catalog.resolver";
import { PricingResolver } from "./modules/pricing/pricing.resolver";
import { CmsResolver } from "./modules/cms/cms.resolver";
import { OrderingResolver } from "./modules/ordering/ordering.resolver";
import { OrderSubscriptionsResolver } from "./modules/ordering/order-subscriptions.resolver";
import { PaymentsResolver } from "./modules/payments/payments.resolver";
import { NotificationsResolver } from "./modules/notifications/notifications.resolver";
import { ResellerWebhookResolver } from "./modules/notifications/reseller-webhook.resolver";
import { OperationsResolver } from "./modules/operations/operations.resolver";

/** Every resolver class of the API. schema.graphql is generated from this list. */
export const RESOLVERS = [
  SystemResolver,
  IdentityResolver,
  ApiTokenResolver,
  UserAdminResolver,
  AuditResolver,
  WalletResolver,
  PromotionsResolver,
  PointsResolver,
  // catalog, pricing, cms (issue 4)
  CatalogResolver,
  ProductFieldsResolver,
  VariantFieldsResolver,
  PricingResolver,
  CmsResolver,
  SupplierSyncResolver,
  // ordering, payments (issue 5)
  OrderingResolver,
  OrderSubscriptionsResolver,
  PaymentsResolver,
  CheckoutResolver,
  // notifications, reseller webhooks (issue 6)
  NotificationsResolver,
  ResellerWebhookResolver,
  // staff operations: queues, failed jobs, items awaiting staff, supplier deposit
  OperationsResolver,
] as const;

export interface SchemaOptions {
  pubSub: PubSub;
  /** Hands type-graphql the resolver instances built in the composition root. */
  container?: ContainerType;
}

export function buildAppSchema(options: SchemaOptions): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    pubSub: options.pubSub,
    container: options.container,
    validate: { forbidUnknownValues: false },
  });
}

/** The SDL committed as schema.graphql (sorted, so diffs show real changes only). */
export async function renderSchemaSdl(): Promise<string> {
  const schema = await buildAppSchema({ pubSub: createPubSub() });
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
