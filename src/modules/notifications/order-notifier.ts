import type { EntityManager } from "typeorm";
import type { Order } from "../ordering/order.entity";
import { OrderKind, OrderStatus } from "../ordering/order-state";
import type { TransitionMeta } from "../ordering/ordering.service";
import { NotificationChannel } from "./notification-outbox.entity";
import type { NotificationOutboxService } from "./notification-outbox.service";
import { NotificationType } from "./notification.entity";
import type { NotificationService } from "./notifications.service";
import type { OrderUpdatedPayload, ResellerWebhookService } from "./reseller-webhook.service";

export interface OrderNotifierDeps {
  notifications: NotificationService;
  webhooks: ResellerWebhookService;
  outbox: NotificationOutboxService;
}

/** Statuses the buyer hears about outside the app (email / WhatsApp) and in the app. */
const TOLD: readonly OrderStatus[] = [OrderStatus.SUCCESS, OrderStatus.FAILED, OrderStatus.REFUNDED, OrderStatus.SHIPPED];

/**
 * The order-status hook of notifications, inside the transaction of the
 * change: a reseller's endpoint gets every change ("order.updated"), a member
 * gets an in-app TRX (or TOPUP) notification, and the contact an email / WhatsApp
 * message, for the outcomes a buyer waits for.
 */
export function orderNotifier(deps: OrderNotifierDeps) {
  return async (manager: EntityManager, order: Order, _from: OrderStatus, meta: TransitionMeta): Promise<void> => {
    const sn = order.status === OrderStatus.SUCCESS ? (meta.sn ?? null) : null;
    if (order.userId) {
      const payload: OrderUpdatedPayload = { orderId: order.id, invoiceNumber: order.invoiceNumber, status: order.status, sn, message: meta.reason, at: new Date().toISOString() };
      await deps.webhooks.enqueue(manager, { userId: order.userId, event: "order.updated", payload: { ...payload } });
    }
    if (!TOLD.includes(order.status)) return;
    const title = `${order.invoiceNumber}: ${order.status}`;
    const body = sn ? `SN: ${sn}` : meta.reason;
    if (order.userId && order.status !== OrderStatus.REFUNDED) {
      // a refund has its own REFUND notification (refund module)
      const type = order.kind === OrderKind.TOPUP ? NotificationType.TOPUP : NotificationType.TRX;
      await deps.notifications.notify(manager, { userId: order.userId, type, title, body, data: { orderId: order.id, status: order.status, sn } });
    }
    const message = { template: `order.${order.status.toLowerCase()}`, payload: { invoiceNumber: order.invoiceNumber, orderId: order.id, status: order.status, sn, message: meta.reason } };
    if (order.contactEmail) await deps.outbox.enqueue(manager, { channel: NotificationChannel.EMAIL, recipient: order.contactEmail, ...message });
    if (order.contactWhatsapp) await deps.outbox.enqueue(manager, { channel: NotificationChannel.WHATSAPP, recipient: order.contactWhatsapp, ...message });
  };
}
