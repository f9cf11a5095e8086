import { findOneJoined } from "../../core/database";
import type Queue from "bull";
import type { DataSource, EntityManager } from "typeorm";
import { afterCommit } from "../../core/after-commit";
import type { Logger } from "../../core/logger";
import { NotificationType } from "../notifications/notification.entity";
import type { NotificationService } from "../notifications/notifications.service";
import { FulfilmentStatus, type OrderItem } from "../ordering/order-item.entity";
import { Order } from "../ordering/order.entity";
import { OrderStatus } from "../ordering/order-state";
import type { OrderService } from "../ordering/ordering.service";
import { WALLET_GATEWAY, type PaymentService } from "../payments/payments.service";
import { FAILED_ORDER_REFUND, RefundTask } from "../payments/refund-task.entity";
import type { PointsService } from "../points/points.service";
import { BalanceMutationType } from "../wallet/balance-mutation.entity";
import type { WalletService } from "../wallet/wallet.service";

export const REFUND_QUEUE = "refunds";

export type RefundJob = { kind: "refund"; orderId: string } | { kind: "sweep" };

export type RefundOutcome = "WALLET" | "GATEWAY" | "TASK" | "SKIPPED";

export interface RefundDeps {
  dataSource: DataSource;
  orders: OrderService;
  payments: PaymentService;
  wallet: WalletService;
  points: PointsService;
  notifications: NotificationService;
  queue: Queue.Queue<RefundJob>;
  logger: Logger;
  /** how long after failing an order is left to its own refund job before the sweeper takes it (default a minute) */
  sweepGraceMs?: number;
}

/**
 * Refunds FAILED orders exactly once. A member's order (or any order paid
 * from a wallet) goes back to the wallet; a guest's gateway payment goes back
 * through the gateway's refund API where it has one, otherwise it becomes a
 * refund task that billing settles by hand (which then makes the order
 * REFUNDED). The FAILED status itself is the durable to-do: a lost job is
 * found again by the sweeper.
 */
export class RefundService {
  constructor(private readonly deps: RefundDeps) {}

  /** The status hook: an order that just became FAILED is queued for its refund once the transaction commits. */
  onOrderFailed = async (manager: EntityManager, order: Order): Promise<void> => {
    await afterCommit(manager, () => this.enqueue(order.id).catch((error: Error) => this.deps.logger.warn("refund not queued; the sweeper will", { orderId: order.id, error: error.message })));
  };

  async handleJob(job: RefundJob): Promise<void> {
    if (job.kind === "refund") await this.refund(job.orderId);
    else await this.sweep();
  }

  /** Refunds one FAILED order; safe to run any number of times. */
  async refund(orderId: string): Promise<RefundOutcome> {
    const { dataSource, orders, payments } = this.deps;
    const order = await findOneJoined(dataSource.getRepository(Order), { where: { id: orderId }, relations: { items: true } });
    if (!order || order.status !== OrderStatus.FAILED) return "SKIPPED";
    const amount = refundAmount(order, order.items ?? []);
    const payment = await payments.paidPaymentOf(order.id);
    if (order.userId || payment?.gateway === WALLET_GATEWAY) return this.toWallet(order.id, amount);
    if (!payment || amount === 0) return this.finish(order.id, { reason: "nothing was paid", payload: { amount } }, "SKIPPED");

    if (await this.hasTask(order.id)) return "TASK";
    let reference: string | null = null;
    try {
      const result = await payments.refundAtGateway(payment, amount, `order ${order.invoiceNumber} failed`);
      if (result?.refunded) reference = result.refundReference ?? payment.reference;
    } catch (error) {
      this.deps.logger.warn("gateway refund failed; billing gets a refund task", { orderId, gateway: payment.gateway, error: (error as Error).message });
    }
    if (reference) return this.finish(order.id, { reason: `refunded through ${payment.gateway}`, payload: { amount, reference } }, "GATEWAY");
    await dataSource.transaction((manager) => payments.openRefundTask(manager, { orderId: order.id, paymentId: payment.id, reason: FAILED_ORDER_REFUND, amount }));
    this.deps.logger.info("failed order waits for billing to refund it", { orderId, amount, gateway: payment.gateway });
    return "TASK";
  }

  /** Re-queues FAILED orders older than the sweep grace (a minute) that are neither refunded nor waiting on a refund task. */
  async sweep(now = new Date()): Promise<number> {
    const rows: { id: string }[] = await this.deps.dataSource.query(
      `SELECT o.id FROM orders o
        WHERE o.status = ? AND o.updated_at < ?
          AND NOT EXISTS (SELECT 1 FROM refund_tasks t WHERE t.order_id = o.id AND t.reason = ?)
        ORDER BY o.updated_at LIMIT 500`,
      [OrderStatus.FAILED, new Date(now.getTime() - (this.deps.sweepGraceMs ?? 60_000)), FAILED_ORDER_REFUND],
    );
    let queued = 0;
    for (const { id } of rows) if (await this.enqueue(id)) queued += 1;
    return queued;
  }

  /** Adds the order's refund job; its id is derived from the order, so it is never queued twice at once. */
  async enqueue(orderId: string): Promise<boolean> {
    const jobId = `refund:${orderId}`;
    const existing = await this.deps.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state !== "completed" && state !== "failed") return false;
      await existing.remove();
    }
    await this.deps.queue.add({ kind: "refund", orderId }, { jobId, attempts: 8, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 });
    return true;
  }

  private async toWallet(orderId: string, amount: number): Promise<RefundOutcome> {
    return this.deps.dataSource.transaction(async (manager) => {
      const order = await this.deps.orders.lock(manager, orderId);
      if (order.status !== OrderStatus.FAILED) return "SKIPPED";
      if (!order.userId) throw new Error(`order ${orderId} was paid from a wallet but has no member`);
      await this.deps.points.reverse(manager, order.id);
      if (amount > 0) {
        await this.deps.wallet.credit(manager, { userId: order.userId, amount, type: BalanceMutationType.REFUND, referenceType: "ORDER", referenceId: order.id, note: `refund ${order.invoiceNumber}` });
        await this.deps.notifications.notify(manager, {
          userId: order.userId,
          type: NotificationType.REFUND,
          title: `Refund for ${order.invoiceNumber}`,
          body: `Rp${amount.toLocaleString("id-ID")} is back in your wallet: the order could not be completed.`,
          data: { orderId: order.id, amount },
        });
      }
      await this.deps.orders.transition(manager, order.id, OrderStatus.REFUNDED, { actor: "system:refund", reason: "refunded to the wallet", payload: { amount } });
      return "WALLET";
    });
  }

  private async finish(orderId: string, meta: { reason: string; payload: Record<string, unknown> }, outcome: RefundOutcome): Promise<RefundOutcome> {
    await this.deps.dataSource.transaction((manager) =>
      this.deps.orders.transitionIf(manager, orderId, [OrderStatus.FAILED], OrderStatus.REFUNDED, { actor: "system:refund", ...meta }),
    );
    return outcome;
  }

  private async hasTask(orderId: string): Promise<boolean> {
    return (await this.deps.dataSource.getRepository(RefundTask).countBy({ orderId, reason: FAILED_ORDER_REFUND })) > 0;
  }
}

/**
 * What goes back: everything when nothing was delivered; otherwise the failed
 * items' share of what was paid (discounts spread over items by value), so
 * delivered goods are not refunded.
 */
export function refundAmount(order: Pick<Order, "total" | "subtotal">, items: Pick<OrderItem, "fulfilmentStatus" | "unitPrice" | "quantity">[]): number {
  const delivered = items.filter((item) => item.fulfilmentStatus === FulfilmentStatus.SUCCESS || item.fulfilmentStatus === FulfilmentStatus.SHIPPED);
  if (delivered.length === 0 || order.subtotal === 0) return order.total;
  const failedValue = items.filter((item) => !delivered.includes(item)).reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  return Math.floor((order.total * failedValue) / order.subtotal);
}
