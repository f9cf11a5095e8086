import { In, IsNull, type DataSource, type EntityManager, type FindOptionsWhere } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { newId } from "../../core/ids";
import { afterCommit } from "../../core/after-commit";
import { badInput } from "../../core/errors";
import type { EventBus } from "../../core/event-bus";
import { ULID_PATTERN as ULID, idPage, type Page } from "../../core/paging";
import { Notification, NotificationType } from "./notification.entity";

export const NOTIFICATION_TOPIC = "NOTIFICATION";

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  data?: Record<string, unknown> | null;
}

/** What crosses Redis to the `myNotifications` subscription (JSON: dates as ISO strings). */
export interface NotificationEvent {
  id: string;
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  data: Record<string, unknown> | null;
  readAt: string | null;
  createdAt: string;
}

export type NotificationPage = Page<Notification> & { unreadCount: number };

/** In-app notifications: written inside the caller's transaction, pushed to the user after it commits. */
export class NotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  /**
   * Writes the notification with the caller's manager; the push to the user's
   * subscription happens after that transaction commits (nothing on rollback).
   */
  async notify(manager: EntityManager, input: NotifyInput): Promise<Notification> {
    const title = input.title.trim();
    const body = input.body.trim();
    if (!ULID.test(input.userId)) throw badInput("userId must be a user id");
    if (!Object.values(NotificationType).includes(input.type)) throw badInput("Unknown notification type");
    if (title.length < 1 || title.length > 150) throw badInput("title must be 1 to 150 characters");
    if (body.length > 2000) throw badInput("body must be at most 2000 characters");
    const row = manager.create(Notification, { id: newId(), userId: input.userId, type: input.type, title, body, data: input.data ?? null, readAt: null });
    await manager.insert(Notification, row as QueryDeepPartialEntity<Notification>);
    const saved = await manager.findOneByOrFail(Notification, { id: row.id }); // timestamps as the database set them
    await afterCommit(manager, () => this.eventBus.publish(NOTIFICATION_TOPIC, saved.userId, toEvent(saved)));
    return saved;
  }

  /** Newest first; the cursor is the last row's id (ULIDs sort by creation time). */
  async list(userId: string, options: { unreadOnly?: boolean; first: number; after?: string | null }): Promise<NotificationPage> {
    const where: FindOptionsWhere<Notification> = { userId };
    if (options.unreadOnly) where.readAt = IsNull();
    const [page, unreadCount] = await Promise.all([
      idPage(this.dataSource.getRepository(Notification), where, options.first, options.after),
      this.unreadCount(userId),
    ]);
    return { ...page, unreadCount };
  }

  unreadCount(userId: string): Promise<number> {
    return this.dataSource.getRepository(Notification).countBy({ userId, readAt: IsNull() });
  }

  /** Marks the user's own unread notifications among `ids` read; others' ids are ignored. Returns how many changed. */
  async markRead(userId: string, ids: string[]): Promise<number> {
    if (ids.length < 1 || ids.length > 100) throw badInput("Give 1 to 100 notification ids");
    if (!ids.every((id) => ULID.test(id))) throw badInput("Every id must be a notification id");
    const result = await this.dataSource
      .getRepository(Notification)
      .update({ userId, id: In([...new Set(ids)]), readAt: IsNull() }, { readAt: new Date() });
    return result.affected ?? 0;
  }

  async markAllRead(userId: string): Promise<number> {
    const result = await this.dataSource.getRepository(Notification).update({ userId, readAt: IsNull() }, { readAt: new Date() });
    return result.affected ?? 0;
  }
}

function toEvent(row: Notification): NotificationEvent {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type,
    title: row.title,
    body: row.body,
    data: row.data,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
