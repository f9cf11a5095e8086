import { buildSchema, type ContainerType } from "type-graphql";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import type { PubSub } from "type-graphql";
import { SystemResolver } from "./modules/system/system.resolver";
import { WalletResolver } from "./modules/wallet/wallet.resolver";
import { PromotionsResolver } from "./modules/promotions/promotions.resolver";
import { PointsResolver } from "./modules/points/points.resolver";
import { NotificationsResolver } from "./modules/notifications/notifications.resolver";
import { ResellerWebhookResolver } from "./modules/notifications/reseller-webhook.resolver";

/** Every resolver class of the API. schema.graphql is generated from this list. */
export const RESOLVERS = [SystemResolver, WalletResolver, PromotionsResolver, PointsResolver, NotificationsResolver, ResellerWebhookResolver] as const;

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
