import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";
import { Length } from "class-validator";
import { PageArgs } from "../../core/paging";
import { WebhookDeliveryStatus } from "./reseller-webhook-delivery.entity";

@ObjectType({ description: "Where a reseller's system receives signed webhooks" })
export class WebhookEndpointInfo {
  @Field()
  url: string;

  @Field(() => GraphQLDateTimeISO)
  secretRotatedAt: Date;

  @Field(() => GraphQLDateTimeISO)
  createdAt: Date;

  @Field(() => GraphQLDateTimeISO)
  updatedAt: Date;
}

@ObjectType()
export class WebhookEndpointSetup {
  @Field(() => WebhookEndpointInfo)
  endpoint: WebhookEndpointInfo;

  @Field(() => String, {
    nullable: true,
    description: "The signing secret, shown only when the endpoint is first set (keep it; rotateWebhookSecret makes a new one)",
  })
  secret: string | null;
}

@ObjectType()
export class WebhookSecret {
  @Field({ description: "Shown once. X-Lapak-Signature is sha256=<hex HMAC-SHA256(secret, raw body)>" })
  secret: string;
}

@ObjectType({ description: "One webhook POSTed (or to be POSTed) to a reseller" })
export class WebhookDeliveryInfo {
  @Field(() => ID, { description: "Also the X-Lapak-Delivery header: deduplicate on it" })
  id: string;

  @Field(() => ID)
  userId: string;

  @Field()
  event: string;

  @Field(() => GraphQLJSONObject)
  payload: Record<string, unknown>;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: "HTTP status of the last attempt" })
  lastStatus: number | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => GraphQLDateTimeISO)
  createdAt: Date;
}

@ObjectType()
export class WebhookDeliveryPage {
  @Field(() => [WebhookDeliveryInfo])
  items: WebhookDeliveryInfo[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last" })
  nextCursor: string | null;
}

@ArgsType()
export class SetWebhookEndpointArgs {
  @Field({ description: "https (or http) URL without credentials" })
  @Length(1, 500)
  url: string;
}

@ArgsType()
export class WebhookDeliveryPageArgs extends PageArgs {
  @Field(() => WebhookDeliveryStatus, { nullable: true })
  status?: WebhookDeliveryStatus | null;
}

@ArgsType()
export class UserWebhookDeliveryPageArgs extends WebhookDeliveryPageArgs {
  @Field(() => ID)
  userId: string;
}

@ArgsType()
export class WebhookDeliveryIdArgs {
  @Field(() => ID)
  id: string;
}
