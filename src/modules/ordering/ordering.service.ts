import { findOneJoined } from "../../core/database";
import { createHash, createHmac, randomInt } from "node:crypto";
import { In, LessThanOrEqual, QueryFailedError, type DataSource, type EntityManager } from "typeorm";
import { monotonicIds } from "../../core/ids";
import { insertRows } from "../../core/row-insert";
import type { Viewer } from "../../core/context";
import { badInput, conflict, notFound } from "../../core/errors";
import { STAFF_ROLES } from "../identity/role";
import { OrderKind, OrderStatus, UNPAID_STATUSES, assertTransition, canTransition, illegalTransition } from "./order-state";
import { FulfilmentStatus, OrderItem } from "./order-item.entity";
import { Order } from "./order.entity";
import { OrderTransition } from "./order-transition.entity";
import type { OrderEvent, OrderEventPublisher } from "./order-events";
import type { OrderingConfig } from "./ordering.config";

export interface OrderDraftItem {
  variantId: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  inputs?: Record<string, string> | null;
  customerNo?: string | null;
  fulfilmentKind: string;
  /** Snapshot for fulfilment: what to buy at the supplier and the most it may cost (max_price). */
  supplierSku?: string | null;
  costPrice?: number | null;
}

/** What the checkout hands over once prices, voucher, points and fee are known (all server-side). */
export interface OrderDraft {
  userId: string | null;
  contact: { name: string; email?: string | null; whatsapp?: string | null };
  items: OrderDraftItem[];
  voucherCode?: string | null;
  voucherDiscount?: number;
  pointsUsed?: number;
  pointsValue?: number;
  /** Fee charged to the buyer on top (0 when the merchant bears it). */
  paymentFee?: number;
  /** A cashback-mode reseller's margin, credited when the order succeeds. */
  cashbackAmount?: number;
  paymentMethodCode?: string | null;
  /** Defaults to now + ORDER_EXPIRY_MINUTES. */
  expiresAt?: Date;
  idempotencyKey?: string | null;
  /** TOPUP: no items, `topUpAmount` is the subtotal (defaults to PURCHASE). */
  kind?: OrderKind;
  topUpAmount?: number;
  /** What the buyer asked for (the checkout input); hashed to detect a reused key. Defaults to the draft. */
  requestPayload?: unknown;
  actor?: string;
}

export interface CreatedOrder {
  order: Order;
  /** Give it to the buyer: it is the guest's only way back to the order. */
  trackingToken: string;
  /** false when an earlier request with the same idempotency key made it. */
  created: boolean;
}

export interface TransitionMeta {
  actor: string;
  reason: string;
  payload?: Record<string, unknown> | null;
  /** The delivered SN(s), carried on the event to the order's followers. */
  sn?: string | null;
}

/** Called inside the transaction of the matching transition (wired in the composition root). */
export interface OrderHooks {
  /** The order just became PAID (fulfilment writes its outbox row here). */
  onOrderPaid(manager: EntityManager, order: Order): Promise<void>;
  /** An unpaid order expired or was cancelled (vouchers and points are released here). */
  onOrderReleased(manager: EntityManager, order: Order): Promise<void>;
  /** Every status change, before the PAID / release hooks (notifications, reseller webhooks, refunds). */
  onStatusChanged(manager: EntityManager, order: Order, from: OrderStatus, meta: TransitionMeta): Promise<void>;
}

const nothing = async () => undefined;
export const NO_ORDER_HOOKS: OrderHooks = { onOrderPaid: nothing, onOrderReleased: nothing, onStatusChanged: nothing };

/** Raised by create() when another request already used this buyer's idempotency key. */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly buyerKey: string, readonly idempotencyKey: string) {
    super("idempotency key already used");
  }
}

export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MAX_ITEMS = 50;
const MAX_QUANTITY = 10_000;
const nextId = monotonicIds();

const STATUS_MESSAGES: Record<OrderStatus, string> = {
  PENDING_PAYMENT: "Waiting for payment",
  WAITING_VERIFICATION: "Payment proof received, waiting for verification",
  PAID: "Payment received",
  PROCESSING: "Being processed",
  SUCCESS: "Completed successfully",
  FAILED: "Failed",
  REFUNDED: "Refunded",
  EXPIRED: "Expired before payment",
  CANCELLED: "Cancelled",
  SHIPPED: "Shipped",
  COMPLETED: "Completed",
};

/** Orders, their state machine and transaction log. The one writer of the orders tables. */
export class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: OrderEventPublisher,
    private readonly config: OrderingConfig,
    private hooks: OrderHooks = NO_ORDER_HOOKS,
  ) {}

  /**
   * Lets the composition root plug fulfilment, vouchers and points in after
   * construction. Answers the hooks in place before, so a caller can put them back.
   */
  setHooks(hooks: Partial<OrderHooks>): OrderHooks {
    const previous = this.hooks;
    this.hooks = { ...this.hooks, ...hooks };
    return previous;
  }

  // ---- creation ------------------------------------------------------------

  /**
   * Creates the order inside the caller's transaction (the checkout also
   * reserves vouchers, points and wallet money there). Throws
   * IdempotencyKeyTaken when a concurrent request used the same key: roll
   * back and call findByIdempotencyKey (place() does exactly that). The
   * order comes back as written, with its items, without reading it again.
   */
  async create(manager: EntityManager, draft: OrderDraft): Promise<CreatedOrder> {
    const checked = validateDraft(draft);
    const buyerKey = buyerKeyOf(draft);
    const payloadHash = hashPayload(draft.requestPayload ?? draft);
    const orderId = nextId();
    const trackingToken = this.trackingTokenFor(orderId);
    const now = new Date();
    const order = Object.assign(new Order(), {
      id: orderId,
      userId: draft.userId,
      contactName: draft.contact.name.trim(),
      contactEmail: draft.contact.email?.trim().toLowerCase() || null,
      contactWhatsapp: draft.contact.whatsapp?.trim() || null,
      trackingTokenHash: sha256Hex(trackingToken),
      status: OrderStatus.PENDING_PAYMENT,
      statusVersion: 1,
      kind: draft.kind ?? OrderKind.PURCHASE,
      ...checked,
      cashbackAmount: draft.cashbackAmount ?? 0,
      voucherCode: draft.voucherCode ?? null,
      paymentMethodCode: draft.paymentMethodCode ?? null,
      expiresAt: draft.expiresAt ?? new Date(now.getTime() + this.config.expiryMinutes * 60_000),
      paidAt: null,
      buyerKey: draft.idempotencyKey ? buyerKey : null,
      idempotencyKey: draft.idempotencyKey ?? null,
      payloadHash: draft.idempotencyKey ? payloadHash : null,
      needsReview: false,
      reviewReason: null,
      createdAt: now,
      updatedAt: now,
    });
    for (let attempt = 0; ; attempt++) {
      order.invoiceNumber = invoiceNumber(now);
      try {
        await insertRows(manager, Order, order);
        break;
      } catch (error) {
        const key = duplicateKeyOf(error);
        if (key === "uq_orders_idempotency") throw new IdempotencyKeyTaken(buyerKey, draft.idempotencyKey!);
        if (key !== "uq_orders_invoice" || attempt >= 5) throw error;
      }
    }
    const items = draft.items.map((item) =>
      Object.assign(new OrderItem(), {
        id: nextId(),
        orderId,
        variantId: item.variantId,
        productName: item.productName,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        inputs: item.inputs ?? null,
        customerNo: item.customerNo ?? null,
        fulfilmentKind: item.fulfilmentKind,
        fulfilmentStatus: FulfilmentStatus.PENDING,
        supplierSku: item.supplierSku ?? null,
        costPrice: item.costPrice ?? null,
        sn: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    if (items.length > 0) await insertRows(manager, OrderItem, items);
    await this.log(manager, order, null, OrderStatus.PENDING_PAYMENT, {
      actor: draft.actor ?? (draft.userId ? `user:${draft.userId}` : "guest"),
      reason: "order placed",
    });
    order.items = items;
    return { order, trackingToken, created: true };
  }

  /**
   * Idempotent create in its own transaction: the same key from the same buyer
   * returns the same order, another payload under that key is a CONFLICT.
   * `within` runs in the same transaction (e.g. start-of-payment bookkeeping).
   */
  async place(draft: OrderDraft, within?: (manager: EntityManager, order: Order) => Promise<void>): Promise<CreatedOrder> {
    const replay = await this.findByIdempotencyKey(draft);
    if (replay) return replay;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const created = await this.create(manager, draft);
        await within?.(manager, created.order);
        return created;
      });
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      const existing = await this.findByIdempotencyKey(draft);
      if (!existing) throw error;
      return existing;
    }
  }

  /** The order an earlier request made with this draft's key, or null; CONFLICT when the payload differs. */
  async findByIdempotencyKey(draft: OrderDraft): Promise<CreatedOrder | null> {
    if (!draft.idempotencyKey) return null;
    validateIdempotencyKey(draft.idempotencyKey);
    const order = await findOneJoined(this.dataSource.getRepository(Order), {
      where: { buyerKey: buyerKeyOf(draft), idempotencyKey: draft.idempotencyKey },
      relations: { items: true },
    });
    if (!order) return null;
    if (order.payloadHash !== hashPayload(draft.requestPayload ?? draft)) {
      throw conflict("This idempotency key was already used for a different order", { invoiceNumber: order.invoiceNumber });
    }
    return { order, trackingToken: this.trackingTokenFor(order.id), created: false };
  }

  /** 32 bytes, base64url: an HMAC of the order id under a server secret, so a replay can hand it out again. */
  trackingTokenFor(orderId: string): string {
    return createHmac("sha256", this.config.trackingSecret).update(orderId).digest("base64url");
  }

  // ---- the state machine ---------------------------------------------------

  /**
   * Moves an order along one allowed edge inside the caller's transaction:
   * locks the row, checks the edge, writes the status and its log row, runs
   * the PAID / release hooks, and queues the event for after COMMIT.
   */
  async transition(manager: EntityManager, orderId: string, to: OrderStatus, meta: TransitionMeta): Promise<Order> {
    const order = await this.lock(manager, orderId);
    assertTransition(order.status, to);
    return this.apply(manager, order, to, meta);
  }

  /**
   * transition() for an order this transaction already holds (it created or
   * locked the row): no second locking read. Hooks get the same object.
   */
  async advance(manager: EntityManager, order: Order, to: OrderStatus, meta: TransitionMeta): Promise<Order> {
    assertTransition(order.status, to);
    return this.apply(manager, order, to, meta);
  }

  /** Like transition(), but only from the listed statuses; returns null (and changes nothing) otherwise. */
  async transitionIf(
    manager: EntityManager,
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    meta: TransitionMeta,
  ): Promise<Order | null> {
    const order = await this.lock(manager, orderId);
    if (!from.includes(order.status)) return null;
    if (!canTransition(order.status, to)) throw illegalTransition(order.status, to);
    return this.apply(manager, order, to, meta);
  }

  /** Locks and reads an order inside the caller's transaction. */
  async lock(manager: EntityManager, orderId: string): Promise<Order> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error("order changes need a transaction");
    const order = await manager.findOne(Order, { where: { id: orderId }, lock: { mode: "pessimistic_write" } });
    if (!order) throw notFound("Order");
    return order;
  }

  /** Marks an order for an admin's attention (amount mismatch, late payment, ...), in the caller's transaction. */
  async flagForReview(manager: EntityManager, orderId: string, reason: string): Promise<void> {
    await manager.update(Order, { id: orderId }, { needsReview: true, reviewReason: reason.slice(0, 255) });
  }

  private async apply(manager: EntityManager, order: Order, to: OrderStatus, meta: TransitionMeta): Promise<Order> {
    const from = order.status;
    const changes: Partial<Order> = { status: to, statusVersion: order.statusVersion + 1 };
    if (to === OrderStatus.PAID) changes.paidAt = new Date();
    await manager.update(Order, { id: order.id, status: from }, changes);
    Object.assign(order, changes);
    await this.log(manager, order, from, to, meta);
    await this.hooks.onStatusChanged(manager, order, from, meta);
    if (to === OrderStatus.PAID) await this.hooks.onOrderPaid(manager, order);
    if ((to === OrderStatus.EXPIRED || to === OrderStatus.CANCELLED) && UNPAID_STATUSES.includes(from)) {
      await this.hooks.onOrderReleased(manager, order);
    }
    return order;
  }

  private async log(manager: EntityManager, order: Order, from: OrderStatus | null, to: OrderStatus, meta: TransitionMeta) {
    await insertRows(
      manager,
      OrderTransition,
      Object.assign(new OrderTransition(), {
        id: nextId(),
        orderId: order.id,
        fromStatus: from,
        toStatus: to,
        actor: meta.actor.slice(0, 80),
        reason: meta.reason.slice(0, 255),
        payload: meta.payload ?? null,
      }),
    );
    await this.events.afterCommit(manager, toEvent(order, to, meta.sn ?? null));
  }

  // ---- items (fulfilment reports each item's progress here) -----------------

  async items(manager: EntityManager, orderId: string): Promise<OrderItem[]> {
    return manager.find(OrderItem, { where: { orderId }, order: { id: "ASC" } });
  }

  /** Moves items to a fulfilment status in the caller's transaction; only items not yet final change. */
  async setItemStatus(manager: EntityManager, itemIds: string[], status: FulfilmentStatus, sn: string | null = null): Promise<number> {
    if (itemIds.length === 0) return 0;
    const open = [FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING];
    const result = await manager.update(OrderItem, { id: In(itemIds), fulfilmentStatus: In(open) }, { fulfilmentStatus: status, ...(sn ? { sn } : {}) });
    return result.affected ?? 0;
  }

  /** The current state of an order as its followers see it (a subscriber's first event). */
  async currentEvent(orderId: string): Promise<OrderEvent | null> {
    const order = await findOneJoined(this.dataSource.getRepository(Order), { where: { id: orderId }, relations: { items: true } });
    if (!order) return null;
    const last = await this.dataSource.getRepository(OrderTransition).findOne({ where: { orderId }, order: { id: "DESC" } });
    const event = toEvent(order, order.status, deliveredSn(order.items ?? []));
    return { ...event, at: (last?.createdAt ?? order.updatedAt).toISOString() };
  }

  // ---- expiry --------------------------------------------------------------

  /** Ids of unpaid orders whose time is up (oldest first). */
  async dueForExpiry(now: Date, limit = 100): Promise<string[]> {
    const rows = await this.dataSource.getRepository(Order).find({
      select: { id: true },
      where: { status: OrderStatus.PENDING_PAYMENT, expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: "ASC" },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /** Expires one order if it is still unpaid and past its time; the release hook runs in the same transaction. */
  async expire(orderId: string, now = new Date()): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const order = await this.lock(manager, orderId);
      if (order.status !== OrderStatus.PENDING_PAYMENT || order.expiresAt > now) return false;
      await this.apply(manager, order, OrderStatus.EXPIRED, { actor: "system:expiry", reason: "not paid in time" });
      return true;
    });
  }

  /** Runs one expiry sweep; returns how many orders expired. */
  async expireDue(now = new Date()): Promise<number> {
    let expired = 0;
    for (const id of await this.dueForExpiry(now)) if (await this.expire(id, now)) expired++;
    return expired;
  }

  // ---- reads ---------------------------------------------------------------

  async get(orderId: string, manager: EntityManager = this.dataSource.manager): Promise<Order> {
    const order = await findOneJoined(manager.getRepository(Order), { where: { id: orderId }, relations: { items: true } });
    if (!order) throw notFound("Order");
    return order;
  }

  /** The order for its owner or staff; anyone else gets NOT_FOUND (existence is not revealed). */
  async getForViewer(orderId: string, viewer: Viewer): Promise<Order> {
    const order = await this.get(orderId).catch(() => null);
    if (!order || !canSee(order, viewer)) throw notFound("Order");
    return order;
  }

  /**
   * The order for whoever may act on it as its buyer: a guest with the
   * tracking token, the member who owns it, or (when `staff` allows) staff.
   */
  async getForBuyer(orderId: string, viewer: Viewer, trackingToken?: string | null, options = { staff: true }): Promise<Order> {
    if (trackingToken) {
      const order = await this.getByTrackingToken(trackingToken);
      if (order.id !== orderId) throw notFound("Order");
      return order;
    }
    const order = await this.get(orderId).catch(() => null);
    const owner = order !== null && viewer.kind === "user" && order.userId === viewer.userId;
    if (!order || !(owner || (options.staff && isStaff(viewer)))) throw notFound("Order");
    return order;
  }

  async getByTrackingToken(token: string): Promise<Order> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound("Order");
    const order = await findOneJoined(this.dataSource.getRepository(Order), { where: { trackingTokenHash: sha256Hex(token) }, relations: { items: true } });
    if (!order) throw notFound("Order");
    return order;
  }

  /** A member's orders, newest first, paged by cursor (the last order id seen). */
  async listForUser(userId: string, options: { status?: OrderStatus[]; first?: number; after?: string | null }): Promise<Page<Order>> {
    return this.page({ userId, status: options.status }, options.first, options.after, "DESC");
  }

  /** Orders in a status, oldest first (CS queues). */
  async listByStatus(status: OrderStatus, first?: number, after?: string | null): Promise<Page<Order>> {
    return this.page({ status: [status] }, first, after, "ASC");
  }

  async history(orderId: string): Promise<OrderTransition[]> {
    return this.dataSource.getRepository(OrderTransition).find({ where: { orderId }, order: { id: "ASC" } });
  }

  private async page(
    filter: { userId?: string; status?: OrderStatus[] },
    first = 20,
    after: string | null | undefined,
    direction: "ASC" | "DESC",
  ): Promise<Page<Order>> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput("first must be between 1 and 100");
    const query = this.dataSource
      .getRepository(Order)
      .createQueryBuilder("o")
      .leftJoinAndSelect("o.items", "items")
      .orderBy("o.id", direction)
      .addOrderBy("items.id", "ASC");
    if (filter.userId) query.andWhere("o.user_id = :userId", { userId: filter.userId });
    if (filter.status?.length) query.andWhere("o.status IN (:...status)", { status: filter.status });
    if (after) query.andWhere(direction === "DESC" ? "o.id < :after" : "o.id > :after", { after });
    // take/skip page by entity, so joined items do not cut a page short
    const rows = await query.take(first + 1).getMany();
    const nodes = rows.slice(0, first);
    return { nodes, endCursor: nodes.at(-1)?.id ?? null, hasNextPage: rows.length > first };
  }

  /** Orders by id (a DataLoader helper for other modules' views). */
  async getMany(ids: readonly string[]): Promise<Order[]> {
    return ids.length === 0 ? [] : this.dataSource.getRepository(Order).find({ where: { id: In([...ids]) } });
  }
}

function toEvent(order: Order, status: OrderStatus, sn: string | null): OrderEvent {
  return { orderId: order.id, invoiceNumber: order.invoiceNumber, status, version: order.statusVersion, sn, message: STATUS_MESSAGES[status], at: new Date().toISOString() };
}

/** The SNs of an order's delivered items, in item order ("a, b"), or null. */
export function deliveredSn(items: Pick<OrderItem, "sn">[]): string | null {
  const sns = items.map((item) => item.sn).filter((sn): sn is string => !!sn);
  return sns.length > 0 ? sns.join(", ").slice(0, 1000) : null;
}

export function isStaff(viewer: Viewer): boolean {
  return viewer.kind === "user" && viewer.roles.some((role) => STAFF_ROLES.includes(role));
}

export function canSee(order: Order, viewer: Viewer): boolean {
  return isStaff(viewer) || (viewer.kind === "user" && order.userId !== null && order.userId === viewer.userId);
}

export const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

function invoiceNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += CROCKFORD[randomInt(32)];
  return `INV-${day}-${suffix}`;
}

function buyerKeyOf(draft: OrderDraft): string {
  if (draft.userId) return `user:${draft.userId}`;
  const contact = draft.contact.email?.trim().toLowerCase() || draft.contact.whatsapp?.trim() || "";
  return `guest:${contact}`.slice(0, 200);
}

/** SHA-256 of a canonical JSON (keys sorted), so key order never changes the hash. */
export function hashPayload(payload: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value instanceof Date) return value.toISOString();
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return sha256Hex(JSON.stringify(canonical(payload)) ?? "null");
}

function duplicateKeyOf(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; message?: string } }).driverError;
  if (driverError?.code !== "ER_DUP_ENTRY") return null;
  return /for key '(?:[^.']+\.)?([^']+)'/.exec(driverError.message ?? "")?.[1] ?? "unknown";
}

function validateIdempotencyKey(key: string): void {
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(key)) throw badInput("idempotencyKey must be 1-100 letters, digits or . _ : -");
}

const isMoney = (value: number) => Number.isSafeInteger(value) && value >= 0;

/** Checks the draft and computes the breakdown; every amount is integer rupiah. */
function validateDraft(draft: OrderDraft) {
  const name = draft.contact?.name?.trim() ?? "";
  if (name.length < 1 || name.length > 120) throw badInput("contact name must be 1-120 characters");
  const email = draft.contact.email?.trim();
  const whatsapp = draft.contact.whatsapp?.trim();
  if (email && (email.length > 190 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) throw badInput("contact email is not valid");
  if (whatsapp && !/^\+?[0-9]{8,16}$/.test(whatsapp)) throw badInput("contact WhatsApp number is not valid");
  if (!draft.userId && !email && !whatsapp) throw badInput("a guest needs an email or a WhatsApp number");
  if (draft.idempotencyKey != null) validateIdempotencyKey(draft.idempotencyKey);
  const topUp = draft.kind === OrderKind.TOPUP;
  if (topUp && (draft.items.length !== 0 || !Number.isSafeInteger(draft.topUpAmount) || draft.topUpAmount! < 1)) {
    throw badInput("a top-up has no items and a whole positive amount");
  }
  if (!topUp && (!Array.isArray(draft.items) || draft.items.length < 1 || draft.items.length > MAX_ITEMS)) {
    throw badInput(`an order holds 1-${MAX_ITEMS} items`);
  }
  let subtotal = topUp ? draft.topUpAmount! : 0;
  for (const item of draft.items) {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw badInput(`quantity must be between 1 and ${MAX_QUANTITY}`);
    }
    if (!isMoney(item.unitPrice)) throw badInput("unit price must be a whole number of rupiah");
    if (!item.productName?.trim() || !item.variantId || !item.fulfilmentKind) throw badInput("every item needs a variant, a name and a fulfilment kind");
    subtotal += item.unitPrice * item.quantity;
  }
  const voucherDiscount = draft.voucherDiscount ?? 0;
  const pointsUsed = draft.pointsUsed ?? 0;
  const pointsValue = draft.pointsValue ?? 0;
  const paymentFee = draft.paymentFee ?? 0;
  for (const [field, value] of Object.entries({ voucherDiscount, pointsUsed, pointsValue, paymentFee })) {
    if (!isMoney(value)) throw badInput(`${field} must be a whole number >= 0`);
  }
  if (!Number.isSafeInteger(subtotal)) throw badInput("order too large");
  if (voucherDiscount + pointsValue > subtotal) throw badInput("discounts cannot exceed the subtotal");
  const total = subtotal - voucherDiscount - pointsValue + paymentFee;
  return { subtotal, voucherDiscount, pointsUsed, pointsValue, paymentFee, total };
}
