import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";
import { ArrayMaxSize, ArrayMinSize } from "class-validator";
import { PageArgs } from "../../core/paging";
import { NotificationType } from "./notification.entity";

@ObjectType({ description: "An in-app notification" })
export class NotificationInfo {
  @Field(() => ID)
  id: string;

  @Field(() => NotificationType)
  type: NotificationType;

  @Field()
  title: string;

  @Field()
  body: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "What the app needs to act on it, e.g. {orderId}" })
  data: Record<string, unknown> | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "null while unread" })
  readAt: Date | null;

  @Field(() => GraphQLDateTimeISO)
  createdAt: Date;
}

@ObjectType()
export class NotificationPage {
  @Field(() => [NotificationInfo])
  items: NotificationInfo[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last" })
  nextCursor: string | null;

  @Field(() => Int, { description: "All of the user's unread notifications, not only this page's" })
  unreadCount: number;
}

@ObjectType()
export class MarkNotificationsReadResult {
  @Field(() => Int, { description: "How many unread notifications became read" })
  marked: number;

  @Field(() => Int)
  unreadCount: number;
}

@ArgsType()
export class NotificationPageArgs extends PageArgs {
  @Field({ defaultValue: false })
  unreadOnly: boolean = false;
}

@ArgsType()
export class MarkNotificationsReadArgs {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  ids: string[];
}
