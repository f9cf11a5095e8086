import { Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { currentUserId } from "../../core/current-user";
import type { ResellerWebhookService } from "./reseller-webhook.service";
import {
  SetWebhookEndpointArgs,
  UserWebhookDeliveryPageArgs,
  WebhookDeliveryIdArgs,
  WebhookDeliveryInfo,
  WebhookDeliveryPage,
  WebhookDeliveryPageArgs,
  WebhookEndpointInfo,
  WebhookEndpointSetup,
  WebhookSecret,
} from "./reseller-webhook.types";

@Resolver()
export class ResellerWebhookResolver {
  constructor(private readonly webhooks: ResellerWebhookService) {}

  @Query(() => WebhookEndpointInfo, { nullable: true, description: "Reseller: your webhook endpoint (never the secret)" })
  myWebhookEndpoint(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpointInfo | null> {
    return this.webhooks.endpoint(currentUserId(ctx));
  }

  @Query(() => WebhookDeliveryPage, { description: "Reseller: your webhook deliveries, newest first" })
  myWebhookDeliveries(@Args() { first, after, status }: WebhookDeliveryPageArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryPage> {
    return this.webhooks.deliveries(currentUserId(ctx), { first, after, status });
  }

  @Query(() => WebhookDeliveryPage, { description: "Admin: one reseller's webhook deliveries, newest first" })
  userWebhookDeliveries(@Args() { userId, first, after, status }: UserWebhookDeliveryPageArgs): Promise<WebhookDeliveryPage> {
    return this.webhooks.deliveries(userId, { first, after, status });
  }

  @Mutation(() => WebhookEndpointSetup, { description: "Reseller: set or change your webhook URL; the secret is returned the first time only" })
  setWebhookEndpoint(@Args() { url }: SetWebhookEndpointArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointSetup> {
    return this.webhooks.setEndpoint(currentUserId(ctx), url);
  }

  @Mutation(() => WebhookSecret, { description: "Reseller: replace your signing secret; the new one is shown once" })
  async rotateWebhookSecret(@Ctx() ctx: GraphQLContext): Promise<WebhookSecret> {
    return { secret: await this.webhooks.rotateSecret(currentUserId(ctx)) };
  }

  @Mutation(() => WebhookDeliveryInfo, { description: "Reseller: send one of your delivered or failed webhooks again (same id and body)" })
  resendWebhookDelivery(@Args() { id }: WebhookDeliveryIdArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryInfo> {
    return this.webhooks.resend(currentUserId(ctx), id);
  }
}
