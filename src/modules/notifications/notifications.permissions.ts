import { isAuthenticated, isPublic } from "../../core/permission-rules";

// Object types are reachable only through the fields above them, which carry the checks.
export const notificationsPermissions = {
  Query: { myNotifications: isAuthenticated },
  Mutation: { markNotificationsRead: isAuthenticated, markAllNotificationsRead: isAuthenticated },
  Subscription: { myNotifications: isAuthenticated },
  NotificationInfo: isPublic,
  NotificationPage: isPublic,
  MarkNotificationsReadResult: isPublic,
};
