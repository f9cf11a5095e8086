import type { EntityManager } from "typeorm";
import type { CatalogService } from "../catalog/catalog.service";
import { FulfilmentKind } from "../catalog/catalog.enums";
import type { PointsService } from "../points/points.service";
import type { VoucherService } from "../promotions/voucher.service";
import type { LatePaymentHandler } from "../payments/payments.service";
import { BalanceMutationType } from "../wallet/balance-mutation.entity";
import type { WalletService } from "../wallet/wallet.service";
import { OrderItem } from "./order-item.entity";
import type { Order } from "./order.entity";
import { OrderKind } from "./order-state";

export interface LifecycleDeps {
  vouchers: VoucherService;
  points: PointsService;
  catalog: CatalogService;
  wallet: WalletService;
}

/**
 * What the checkout reserved, settled when the order's life decides:
 * wired by the composition root into orders.setHooks(...) and
 * payments.setLatePaymentHandler(...). Every step is idempotent.
 */
export function checkoutLifecycle(deps: LifecycleDeps) {
  /** PAID: the reserved voucher use counts for good; a top-up credits the wallet (once per order). */
  const onOrderPaid = async (manager: EntityManager, order: Order): Promise<void> => {
    if (order.voucherCode) await deps.vouchers.markUsed(manager, order.id); // only a checkout with a code reserves a use
    if (order.kind === OrderKind.TOPUP && order.userId) {
      await deps.wallet.credit(manager, {
        userId: order.userId,
        amount: order.subtotal,
        type: BalanceMutationType.TOPUP,
        referenceType: "ORDER",
        referenceId: order.id,
        note: order.invoiceNumber,
      });
    }
  };

  /**
   * SUCCESS: the goods arrived, so a member earns points and a cashback-mode
   * reseller gets the margin (each once per order). Not on PAID: a paid order
   * may still fail and be refunded.
   */
  const onOrderSucceeded = async (manager: EntityManager, order: Order): Promise<void> => {
    if (!order.userId || order.kind !== OrderKind.PURCHASE) return;
    await deps.points.earn(manager, { userId: order.userId, orderId: order.id, amountPaid: order.total });
    if (order.cashbackAmount > 0) {
      await deps.wallet.credit(manager, {
        userId: order.userId,
        amount: order.cashbackAmount,
        type: BalanceMutationType.CASHBACK,
        referenceType: "ORDER",
        referenceId: order.id,
        note: `cashback ${order.invoiceNumber}`,
      });
    }
  };

  /** EXPIRED / CANCELLED before payment: give the voucher use, the points and the stock back. */
  const onOrderReleased = async (manager: EntityManager, order: Order): Promise<void> => {
    await deps.vouchers.release(manager, order.id);
    if (order.userId) await deps.points.reverse(manager, order.id);
    const items = await manager.find(OrderItem, { where: { orderId: order.id } });
    for (const item of items) {
      if (item.fulfilmentKind === FulfilmentKind.STOCK) await deps.catalog.returnStock(manager, item.variantId, item.quantity);
    }
  };

  /** A member paid after the order expired: the money goes to the wallet, once per payment reference. */
  const onLatePayment: LatePaymentHandler = async (manager, { order, payment, amount }) => {
    await deps.wallet.credit(manager, {
      userId: order.userId!,
      amount,
      type: BalanceMutationType.REFUND,
      referenceType: "PAYMENT",
      referenceId: payment.reference,
      note: `late payment for ${order.invoiceNumber}`,
    });
  };

  return { onOrderPaid, onOrderSucceeded, onOrderReleased, onLatePayment };
}
