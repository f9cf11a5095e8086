import { type DataSource, type EntityManager } from "typeorm";
import { badInput, conflict, notFound } from "../../core/errors";
import type { Logger } from "../../core/logger";
import type { AuditService } from "../audit/audit.service";
import { FulfilmentKind } from "../catalog/catalog.enums";
import { FulfilmentStatus, OrderItem } from "../ordering/order-item.entity";
import type { Order } from "../ordering/order.entity";
import { OrderKind, OrderStatus } from "../ordering/order-state";
import { deliveredSn, type OrderService, type TransitionMeta } from "../ordering/ordering.service";
import { OPEN_STATUSES } from "./supplier-purchase.entity";
import type { SupplierPurchaseResult, SupplierPurchaseService } from "./supplier-purchase.service";

export interface FulfillmentDeps {
  dataSource: DataSource;
  orders: OrderService;
  supplierPurchases: SupplierPurchaseService;
  audit: AuditService;
  logger: Logger;
  /** PROCESSING orders older than this are re-checked by the reconciliation job. */
  stuckAfterMs: number;
}

export interface StaffActor {
  userId: string;
  ip?: string | null;
}

/** One order item a person has to settle (see `itemsAwaitingStaff`). */
export interface ItemAwaitingStaff {
  orderItemId: string;
  orderId: string;
  invoiceNumber: string;
  productName: string;
  kind: string;
  customerNo: string | null;
  /** when the item last changed (it turned PROCESSING then, unless something touched it since) */
  since: Date;
  /** the supplier purchase's status for a supplier item (NEEDS_STAFF), null when there is none */
  purchaseStatus: string | null;
  refId: string | null;
  purchaseMessage: string | null;
  needsReview: boolean;
  reviewReason: string | null;
}

const SYSTEM: TransitionMeta = { actor: "system:fulfilment", reason: "handed to fulfilment" };
const OPEN_ITEM = [FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING];

/**
 * Turns a paid order into delivered goods. On PAID (inside the payment's
 * transaction) each SUPPLIER item gets its supplier purchase (the outbox row
 * the supplier worker drives); other kinds wait for staff. Item results come
 * back here; when every item is final the order becomes SUCCESS, or FAILED
 * (which the refund module picks up). Every step is idempotent.
 */
export class FulfillmentService {
  constructor(private readonly deps: FulfillmentDeps) {}

  /** The PAID hook: runs in the transaction that made the order PAID (which holds the order row). */
  onOrderPaid = async (manager: EntityManager, order: Order): Promise<void> => {
    const { orders } = this.deps;
    if (order.kind === OrderKind.TOPUP) {
      // the wallet was credited with the PAID transition: nothing left to deliver
      await orders.advance(manager, order, OrderStatus.PROCESSING, SYSTEM);
      await orders.advance(manager, order, OrderStatus.SUCCESS, { actor: SYSTEM.actor, reason: "wallet credited" });
      return;
    }
    // a checkout that pays at once hands its items over; otherwise they are read
    const items = order.items ?? (await orders.items(manager, order.id));
    // physical goods stay PAID: CS verifies and ships them (PAID → SHIPPED)
    if (items.every((item) => item.fulfilmentKind === FulfilmentKind.PHYSICAL)) return;
    const problems: string[] = [];
    for (const item of items) {
      if (item.fulfilmentKind !== FulfilmentKind.SUPPLIER) continue;
      if (!item.supplierSku || !item.costPrice || !item.customerNo || item.quantity !== 1) {
        problems.push(`${item.productName}: cannot be bought from the supplier automatically`);
        continue;
      }
      await this.deps.supplierPurchases.request(manager, { orderItemId: item.id, sku: item.supplierSku, customerNo: item.customerNo, maxPrice: item.costPrice });
    }
    await orders.setItemStatus(manager, items.map((item) => item.id), FulfilmentStatus.PROCESSING);
    for (const item of items) if (OPEN_ITEM.includes(item.fulfilmentStatus)) item.fulfilmentStatus = FulfilmentStatus.PROCESSING;
    await orders.advance(manager, order, OrderStatus.PROCESSING, SYSTEM);
    if (problems.length > 0) await orders.flagForReview(manager, order.id, problems.join("; "));
  };

  /** The supplier engine's result listener (at-least-once: idempotent per item). */
  onSupplierResult = async (result: SupplierPurchaseResult): Promise<void> => {
    await this.deps.dataSource.transaction(async (manager) => {
      const item = await manager.findOneBy(OrderItem, { id: result.orderItemId });
      if (!item) return void this.deps.logger.warn("supplier result for an unknown order item", { orderItemId: result.orderItemId });
      const order = await this.deps.orders.lock(manager, item.orderId);
      if (result.status === "NEEDS_STAFF") {
        await this.deps.orders.flagForReview(manager, order.id, `supplier purchase ${result.refId} needs staff: ${result.message ?? "no final answer"}`);
        return;
      }
      const status = result.status === "SUCCESS" ? FulfilmentStatus.SUCCESS : FulfilmentStatus.FAILED;
      await this.settle(manager, order, item.id, status, result.sn, {
        actor: "supplier:DIGIFLAZZ",
        reason: (result.message ?? (status === FulfilmentStatus.SUCCESS ? "delivered" : "supplier failed")).slice(0, 255),
        payload: { refId: result.refId, supplier: result.supplierPayload ?? null },
      });
    });
  };

  /**
   * Staff settle an item by hand: SUCCESS with the SN (code, account, resi)
   * they delivered, or FAILED (the order is then refunded). An item with an
   * open supplier purchase is settled through the purchase, so the supplier
   * engine stops re-checking it.
   */
  async resolveItem(actor: StaffActor, input: { orderItemId: string; outcome: "SUCCESS" | "FAILED"; sn?: string | null; reason: string }): Promise<Order> {
    const sn = input.sn?.trim() ?? "";
    if (input.outcome === "SUCCESS" && (sn === "" || sn.length > 255)) throw badInput("Enter the SN (1–255 characters) to mark an item delivered", { field: "sn" });
    const reason = input.reason.trim();
    if (reason === "" || reason.length > 255) throw badInput("Give a reason (1–255 characters)", { field: "reason" });
    const purchase = await this.deps.supplierPurchases.findByOrderItem(input.orderItemId);
    if (purchase && (OPEN_STATUSES.includes(purchase.status) || purchase.status === "NEEDS_STAFF")) {
      await this.deps.supplierPurchases.resolveManually({ purchaseId: purchase.id, actorId: actor.userId, outcome: input.outcome, sn, reason, ip: actor.ip });
      const item = await this.deps.dataSource.getRepository(OrderItem).findOneByOrFail({ id: input.orderItemId });
      return this.deps.orders.get(item.orderId);
    }
    const orderId = await this.deps.dataSource.transaction(async (manager) => {
      const item = await manager.findOneBy(OrderItem, { id: input.orderItemId });
      if (!item) throw notFound("Order item");
      const order = await this.deps.orders.lock(manager, item.orderId);
      if (!OPEN_ITEM.includes(item.fulfilmentStatus)) throw conflict(`This item is already ${item.fulfilmentStatus}`);
      if (order.status !== OrderStatus.PROCESSING) throw conflict(`Items are settled while the order is PROCESSING (it is ${order.status})`);
      const status = input.outcome === "SUCCESS" ? FulfilmentStatus.SUCCESS : FulfilmentStatus.FAILED;
      await this.settle(manager, order, item.id, status, input.outcome === "SUCCESS" ? sn : null, { actor: `staff:${actor.userId}`, reason });
      await this.deps.audit.record(manager, {
        actorId: actor.userId,
        action: "order_item.resolve",
        targetType: "order_item",
        targetId: item.id,
        before: { fulfilmentStatus: item.fulfilmentStatus },
        after: { fulfilmentStatus: status, sn: input.outcome === "SUCCESS" ? sn : null, reason },
        ip: actor.ip ?? null,
      });
      return order.id;
    });
    return this.deps.orders.get(orderId);
  }

  /**
   * Staff ask the supplier again now (same ref_id) for an item whose purchase
   * is still open or waits for staff; answers the order (the result comes later).
   */
  async retryItem(actor: StaffActor, orderItemId: string): Promise<Order> {
    const purchase = await this.deps.supplierPurchases.findByOrderItem(orderItemId);
    if (!purchase) throw notFound("Supplier purchase");
    if (!OPEN_STATUSES.includes(purchase.status) && purchase.status !== "NEEDS_STAFF") {
      throw conflict(`This purchase is ${purchase.status}; only an open or staff-held purchase can be retried`);
    }
    await this.deps.supplierPurchases.retry({ purchaseId: purchase.id, actorId: actor.userId, ip: actor.ip });
    const item = await this.deps.dataSource.getRepository(OrderItem).findOneByOrFail({ id: orderItemId });
    return this.deps.orders.get(item.orderId);
  }

  /**
   * The reconciliation job: orders PROCESSING for longer than the configured
   * time get their supplier purchases re-checked now (same ref_id; the engine
   * keeps its minimum gap) and are flagged for staff when an item waits on people.
   */
  async reconcile(now = new Date()): Promise<{ rechecked: number; flagged: number }> {
    const { dataSource, orders, supplierPurchases } = this.deps;
    const stuck = await dataSource.query(
      `SELECT i.id, i.order_id AS orderId, i.fulfilment_kind AS kind, o.needs_review AS flagged
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.status = ? AND o.updated_at < ? AND i.fulfilment_status IN (?)
        ORDER BY o.updated_at LIMIT 500`,
      [OrderStatus.PROCESSING, new Date(now.getTime() - this.deps.stuckAfterMs), OPEN_ITEM],
    );
    let rechecked = 0;
    const waiting = new Set<string>();
    for (const row of stuck as { id: string; orderId: string; kind: string; flagged: number }[]) {
      const purchase = await supplierPurchases.findByOrderItem(row.id);
      if (purchase && OPEN_STATUSES.includes(purchase.status)) {
        if (await supplierPurchases.enqueue(purchase.id, purchase.attempts)) rechecked += 1;
      } else if (purchase && purchase.status !== "NEEDS_STAFF") {
        await supplierPurchases.deliverResult(purchase.id);
      } else if (!row.flagged) {
        waiting.add(row.orderId);
      }
    }
    for (const orderId of waiting) {
      await dataSource.transaction((manager) => orders.flagForReview(manager, orderId, "processing longer than expected: an item waits for staff"));
    }
    if (rechecked + waiting.size > 0) this.deps.logger.info("fulfilment reconciliation", { rechecked, flagged: waiting.size });
    return { rechecked, flagged: waiting.size };
  }

  /**
   * Items of PROCESSING orders waiting for staff, oldest first: non-supplier
   * kinds, supplier items that could not be bought automatically (no purchase),
   * and supplier purchases held for staff (NEEDS_STAFF). Read from the
   * PROCESSING orders (indexed), never a scan of every item.
   */
  async itemsAwaitingStaff(limit = 100): Promise<ItemAwaitingStaff[]> {
    const rows: Record<string, unknown>[] = await this.deps.dataSource.query(
      `SELECT i.id AS orderItemId, o.id AS orderId, o.invoice_number AS invoiceNumber, i.product_name AS productName,
              i.fulfilment_kind AS kind, i.customer_no AS customerNo, i.updated_at AS since,
              p.status AS purchaseStatus, p.ref_id AS refId, COALESCE(p.last_error, p.message) AS purchaseMessage,
              o.needs_review AS needsReview, o.review_reason AS reviewReason
         FROM orders o
         JOIN order_items i ON i.order_id = o.id
         LEFT JOIN supplier_purchases p ON p.order_item_id = i.id
        WHERE o.status = ? AND i.fulfilment_status = ?
          AND (i.fulfilment_kind <> ? OR p.id IS NULL OR p.status = 'NEEDS_STAFF')
        ORDER BY i.updated_at, i.id
        LIMIT ?`,
      [OrderStatus.PROCESSING, FulfilmentStatus.PROCESSING, FulfilmentKind.SUPPLIER, Math.min(Math.max(Math.trunc(limit), 1), 500)],
    );
    return rows.map((row) => ({
      orderItemId: String(row.orderItemId),
      orderId: String(row.orderId),
      invoiceNumber: String(row.invoiceNumber),
      productName: String(row.productName),
      kind: String(row.kind),
      customerNo: (row.customerNo as string | null) ?? null,
      since: new Date(row.since as string | Date),
      purchaseStatus: (row.purchaseStatus as string | null) ?? null,
      refId: (row.refId as string | null) ?? null,
      purchaseMessage: (row.purchaseMessage as string | null) ?? null,
      needsReview: Boolean(Number(row.needsReview)),
      reviewReason: (row.reviewReason as string | null) ?? null,
    }));
  }

  /** Settles one item; when no item is open any more the order ends SUCCESS or FAILED. */
  private async settle(manager: EntityManager, order: Order, itemId: string, status: FulfilmentStatus, sn: string | null, meta: TransitionMeta): Promise<void> {
    const changed = await this.deps.orders.setItemStatus(manager, [itemId], status, sn);
    if (!changed) return; // already final: a duplicate result
    const items = await this.deps.orders.items(manager, order.id);
    if (items.some((item) => OPEN_ITEM.includes(item.fulfilmentStatus))) return;
    // the caller holds the order's lock: this object is its current state
    if (order.status !== OrderStatus.PROCESSING) return;
    if (items.every((item) => item.fulfilmentStatus === FulfilmentStatus.SUCCESS)) {
      await this.deps.orders.advance(manager, order, OrderStatus.SUCCESS, { ...meta, sn: deliveredSn(items) });
    } else {
      await this.deps.orders.advance(manager, order, OrderStatus.FAILED, meta);
    }
  }
}
