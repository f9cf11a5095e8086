import { Args, Ctx, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { GraphQLContext } from "../../core/context";
import { currentUserId } from "../../core/current-user";
import { NOTIFICATION_TOPIC, type NotificationEvent, type NotificationService } from "./notifications.service";
import { MarkNotificationsReadArgs, MarkNotificationsReadResult, NotificationInfo, NotificationPage, NotificationPageArgs } from "./notifications.types";

@Resolver()
export class NotificationsResolver {
  constructor(private readonly notifications: NotificationService) {}

  @Query(() => NotificationPage, { description: "The signed-in user's notifications, newest first, with the unread count" })
  myNotifications(@Args() { unreadOnly, first, after }: NotificationPageArgs, @Ctx() ctx: GraphQLContext): Promise<NotificationPage> {
    return this.notifications.list(currentUserId(ctx), { unreadOnly, first, after });
  }

  @Mutation(() => MarkNotificationsReadResult, { description: "Marks some of your notifications read (others' ids are ignored)" })
  async markNotificationsRead(@Args() { ids }: MarkNotificationsReadArgs, @Ctx() ctx: GraphQLContext): Promise<MarkNotificationsReadResult> {
    const userId = currentUserId(ctx);
    const marked = await this.notifications.markRead(userId, ids);
    return { marked, unreadCount: await this.notifications.unreadCount(userId) };
  }

  @Mutation(() => MarkNotificationsReadResult, { description: "Marks all your notifications read" })
  async markAllNotificationsRead(@Ctx() ctx: GraphQLContext): Promise<MarkNotificationsReadResult> {
    const userId = currentUserId(ctx);
    return { marked: await this.notifications.markAllRead(userId), unreadCount: await this.notifications.unreadCount(userId) };
  }

  // graphql-shield does not guard subscription setup: topicId runs when the
  // subscription is set up, before any Redis channel opens, and refuses a
  // guest there with UNAUTHENTICATED (currentUserId throws).
  @Subscription(() => NotificationInfo, {
    name: "myNotifications",
    description: "New notifications of the signed-in user, as they are written",
    topics: NOTIFICATION_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => currentUserId(context),
  })
  notificationPushed(@Root() event: NotificationEvent): NotificationInfo {
    return { ...event, readAt: event.readAt ? new Date(event.readAt) : null, createdAt: new Date(event.createdAt) };
  }
}
