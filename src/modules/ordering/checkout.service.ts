import type { DataSource, EntityManager } from "typeorm";
import type { Redis } from "ioredis";
import type { Viewer } from "../../core/context";
import { AppError, badInput, conflict } from "../../core/errors";
import type { Logger } from "../../core/logger";
import type { CatalogService, Quote } from "../catalog/catalog.service";
import { FulfilmentKind } from "../catalog/catalog.enums";
import type { IdentityService } from "../identity/identity.service";
import type { PointsService } from "../points/points.service";
import type { VoucherService } from "../promotions/voucher.service";
import { PaymentStatus, type Payment } from "../payments/payment.entity";
import type { PaymentMethod } from "../payments/payment-method.entity";
import { PaymentService, WALLET_GATEWAY } from "../payments/payments.service";
import { BalanceMutationType } from "../wallet/balance-mutation.entity";
import type { WalletService } from "../wallet/wallet.service";
import { OrderKind, OrderStatus } from "./order-state";
import { Order } from "./order.entity";
import { IdempotencyKeyTaken, type CreatedOrder, type OrderDraft, type OrderService } from "./ordering.service";

export interface CheckoutItemInput {
  variantId: string;
  quantity: number;
  inputs?: Record<string, string> | null;
}

export interface CheckoutInput {
  items: CheckoutItemInput[];
  contact?: { name: string; email?: string | null; whatsapp?: string | null } | null;
  paymentMethod: string;
  voucherCode?: string | null;
  pointsToRedeem?: number | null;
  idempotencyKey: string;
}

export interface CheckoutResult {
  order: Order;
  /** The guest's way back to the order (also given to members). */
  trackingToken: string;
  /** true when the wallet paid the order inside the checkout. */
  alreadyPaid: boolean;
  /** The open payment attempt (its instructions say how to pay). */
  payment: Payment | null;
  /** Set when the gateway could not be reached: the order stays PENDING_PAYMENT, retry with the same key or payOrder. */
  paymentError: string | null;
}

const MAX_ITEMS = 20;
const MIN_TOPUP = 10_000;
const MAX_TOPUP = 50_000_000;
/** Guests (and resellers in cashback mode) pay the retail price. */
const RETAIL_LEVEL = "RETAIL";

/**
 * The checkout: prices from the server only, one transaction that creates the
 * order and reserves everything it needs (voucher, points, stock, wallet
 * money last), then — after COMMIT — starts the gateway payment.
 */
export class CheckoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: {
      orders: OrderService;
      catalog: CatalogService;
      payments: PaymentService;
      vouchers: VoucherService;
      points: PointsService;
      wallet: WalletService;
      identity: IdentityService;
      logger: Logger;
      redis: Redis;
      redisPrefix: string;
    },
  ) {}

  async checkout(viewer: Viewer, input: CheckoutInput): Promise<CheckoutResult> {
    const userId = viewer.kind === "user" ? viewer.userId : null;
    const request = normalise(input, userId);
    const contact = userId ? await this.memberContact(userId, request.contact) : request.contact!;
    const probe: OrderDraft = { userId, contact, items: [], idempotencyKey: request.idempotencyKey, requestPayload: request };
    const replay = await this.deps.orders.findByIdempotencyKey(probe);
    if (replay) return this.resume(replay, request.paymentMethod);

    const method = await this.deps.payments.method(request.paymentMethod);
    const wallet = method.gateway === WALLET_GATEWAY;
    if (wallet && !userId) throw badInput("Sign in to pay with the wallet", { field: "paymentMethod" });
    const cashback = viewer.kind === "user" && (await this.cashbackMode(viewer));
    const levelCode = viewer.kind === "user" && !cashback ? viewer.levelCode : RETAIL_LEVEL;

    return this.placeAndPay(probe, method, async (manager) => {
      const quotes: Quote[] = [];
      for (const item of request.items) {
        quotes.push(await this.deps.catalog.quote({ variantId: item.variantId, quantity: item.quantity, inputs: item.inputs ?? {}, levelCode }, manager));
      }
      const subtotal = quotes.reduce((sum, quote) => sum + quote.totalPrice, 0);
      // the fee is written with the order; only a voucher or points change it afterwards
      const made = await this.deps.orders.create(manager, {
        ...probe,
        paymentMethodCode: method.code,
        voucherCode: request.voucherCode,
        paymentFee: PaymentService.buyerFee(method, subtotal),
        // cashback mode: the reseller pays retail and gets the margin back when the order is paid
        cashbackAmount: cashback && viewer.kind === "user" ? await this.cashbackOf(manager, quotes, viewer.levelCode) : 0,
        items: quotes.map((quote) => ({
          variantId: quote.variant.id,
          productName: `${quote.product.name} - ${quote.variant.name}`.slice(0, 200),
          quantity: quote.quantity,
          unitPrice: quote.unitPrice,
          inputs: quote.inputs,
          customerNo: quote.customerNo,
          fulfilmentKind: quote.kind,
          supplierSku: quote.supplierSku,
          costPrice: quote.costPrice,
        })),
        actor: userId ? `user:${userId}` : "guest",
      });
      await this.reserve(manager, made.order, quotes, request, method, userId);
      return made;
    });
  }

  /**
   * A member's or reseller's wallet top-up: a payable order of kind TOPUP (no
   * items) through a gateway or manual transfer; the wallet is credited when
   * it is PAID (order-lifecycle.ts).
   */
  async topUpWallet(userId: string, input: { amount: number; paymentMethod: string; idempotencyKey: string }): Promise<CheckoutResult> {
    if (!Number.isSafeInteger(input.amount) || input.amount < MIN_TOPUP || input.amount > MAX_TOPUP) {
      throw badInput(`A top-up is between Rp${MIN_TOPUP} and Rp${MAX_TOPUP}`, { field: "amount" });
    }
    const idempotencyKey = requireKey(input.idempotencyKey);
    const paymentMethod = String(input.paymentMethod ?? "").trim();
    const contact = await this.memberContact(userId, null);
    const probe: OrderDraft = {
      userId,
      contact,
      items: [],
      kind: OrderKind.TOPUP,
      topUpAmount: input.amount,
      idempotencyKey,
      requestPayload: { topUp: input.amount, paymentMethod, idempotencyKey },
    };
    const replay = await this.deps.orders.findByIdempotencyKey(probe);
    if (replay) return this.resume(replay, paymentMethod);
    const method = await this.deps.payments.method(paymentMethod);
    if (method.gateway === WALLET_GATEWAY) throw badInput("A top-up is paid through a gateway or a transfer", { field: "paymentMethod" });
    return this.placeAndPay(probe, method, async (manager) => {
      const made = await this.deps.orders.create(manager, { ...probe, paymentMethodCode: method.code, paymentFee: PaymentService.buyerFee(method, input.amount), actor: `user:${userId}` });
      checkAmount(made.order, method);
      return made;
    });
  }

  /**
   * One transaction that creates the order (`build`), and for WALLET pays it
   * there; then, after COMMIT, starts the gateway payment. A concurrent
   * request with the same key gets the order the winner made.
   */
  private async placeAndPay(probe: OrderDraft, method: PaymentMethod, build: (manager: EntityManager) => Promise<CreatedOrder>): Promise<CheckoutResult> {
    const wallet = method.gateway === WALLET_GATEWAY;
    let created: CreatedOrder;
    try {
      created = await this.dataSource.transaction(async (manager) => {
        const made = await build(manager);
        const order = made.order;
        if (wallet) {
          // the hooks (fulfilment) move this same object on, so it leaves the transaction current
          await this.deps.orders.advance(manager, order, OrderStatus.PAID, { actor: `user:${order.userId}`, reason: "paid from the wallet" });
          // last statement before COMMIT: the hot wallet row is held as briefly as possible
          await this.deps.wallet.debit(manager, {
            userId: order.userId!,
            amount: order.total,
            type: BalanceMutationType.PURCHASE,
            referenceType: "ORDER",
            referenceId: order.id,
            note: order.invoiceNumber,
          });
        }
        return made;
      });
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      const existing = await this.deps.orders.findByIdempotencyKey(probe);
      if (!existing) throw error;
      return this.resume(existing, method.code);
    }
    if (wallet) return { order: created.order, trackingToken: created.trackingToken, alreadyPaid: true, payment: null, paymentError: null };
    return this.startPayment(created.order, created.trackingToken, method.code, { placed: true });
  }

  /**
   * Starts (again) the payment of an unpaid order the viewer may act on:
   * the owner, or a guest with the tracking token.
   */
  async payOrder(viewer: Viewer, ref: { orderId?: string | null; trackingToken?: string | null }, methodCode: string): Promise<CheckoutResult> {
    let order: Order;
    if (ref.trackingToken) order = await this.deps.orders.getByTrackingToken(ref.trackingToken);
    else if (ref.orderId) order = await this.deps.orders.getForBuyer(ref.orderId, viewer, null, { staff: false });
    else throw badInput("Give the order id or its tracking token");
    const method = await this.deps.payments.method(methodCode);
    if (method.gateway === WALLET_GATEWAY) throw badInput("The wallet pays at checkout only", { field: "methodCode" });
    return this.startPayment(order, this.deps.orders.trackingTokenFor(order.id), method.code, { newAttempt: true });
  }

  // ---- inside the transaction ----------------------------------------------

  /** Voucher, points and stock; a discount rewrites the breakdown (and the fee) written with the order. */
  private async reserve(manager: EntityManager, order: Order, quotes: Quote[], request: NormalisedCheckout, method: PaymentMethod, userId: string | null): Promise<void> {
    let voucherDiscount = 0;
    if (request.voucherCode) {
      const reservation = await this.deps.vouchers.reserve(manager, {
        code: request.voucherCode,
        userId,
        guestKey: userId ? null : (order.contactEmail ?? order.contactWhatsapp),
        orderId: order.id,
        subtotal: order.subtotal,
        items: quotes.map((quote) => ({ productId: quote.product.id, categoryId: quote.product.categoryId, amount: quote.totalPrice })),
      });
      voucherDiscount = reservation.discount;
    }
    let pointsUsed = 0;
    let pointsValue = 0;
    if (request.pointsToRedeem) {
      const redeemed = await this.deps.points.redeem(manager, { userId: userId!, orderId: order.id, points: request.pointsToRedeem, orderTotal: order.subtotal - voucherDiscount });
      pointsUsed = request.pointsToRedeem;
      pointsValue = redeemed.rupiahValue;
    }
    for (const quote of quotes) {
      if (quote.kind === FulfilmentKind.STOCK) await this.deps.catalog.takeStock(manager, quote.variant.id, quote.quantity);
    }
    if (voucherDiscount > 0 || pointsUsed > 0) {
      // the fee is charged on what is left to pay
      const due = order.subtotal - voucherDiscount - pointsValue;
      const paymentFee = PaymentService.buyerFee(method, due);
      const breakdown = { voucherDiscount, pointsUsed, pointsValue, paymentFee, total: due + paymentFee };
      await manager.update(Order, { id: order.id }, breakdown);
      Object.assign(order, breakdown);
    }
    checkAmount(order, method);
  }

  /** What a cashback-mode reseller gets back: retail minus their own level's price. */
  private async cashbackOf(manager: EntityManager, quotes: Quote[], levelCode: string): Promise<number> {
    let cashbackAmount = 0;
    for (const quote of quotes) {
      const own = await this.deps.catalog.quote({ variantId: quote.variant.id, quantity: quote.quantity, inputs: quote.inputs, levelCode }, manager);
      cashbackAmount += Math.max(0, quote.totalPrice - own.totalPrice);
    }
    return cashbackAmount;
  }

  // ---- after COMMIT ----------------------------------------------------------

  /** A replayed request: the same order, and the same instructions (or a fresh start if the last one failed). */
  private async resume(existing: CreatedOrder, methodCode: string): Promise<CheckoutResult> {
    const { order, trackingToken } = existing;
    if (order.status !== OrderStatus.PENDING_PAYMENT) {
      const paid = order.status !== OrderStatus.EXPIRED && order.status !== OrderStatus.CANCELLED && order.status !== OrderStatus.WAITING_VERIFICATION;
      return { order, trackingToken, alreadyPaid: paid, payment: await this.openInstructions(order.id), paymentError: null };
    }
    return this.startPayment(order, trackingToken, methodCode);
  }

  /** Reuses the open payment attempt when there is one, so a replay shows the same pay URL / VA / QR. */
  private async startPayment(order: Order, trackingToken: string, methodCode: string, how: StartHow = {}): Promise<CheckoutResult> {
    try {
      const payment = await this.startOnce(order, methodCode, how);
      return { order, trackingToken, alreadyPaid: false, payment, paymentError: null };
    } catch (error) {
      if (how.newAttempt) throw error;
      this.deps.logger.warn("checkout: payment not started", { orderId: order.id, error: (error as Error).message });
      // a deliberate refusal (gateway unavailable, order expired) says why; anything else (a lost
      // database connection) is internal: the buyer gets a plain retry hint, never the driver's text
      const message = error instanceof AppError ? error.message : "The payment could not be started right now; try again with the same idempotency key";
      return { order, trackingToken, alreadyPaid: false, payment: null, paymentError: message };
    }
  }

  /**
   * One payment start per order at a time (a Redis lock, so parallel replays
   * across API instances wait for the first and then show its instructions).
   */
  private async startOnce(order: Order, methodCode: string, how: StartHow): Promise<Payment> {
    const key = `${this.deps.redisPrefix}:checkout:pay-start:${order.id}`;
    const deadline = Date.now() + 30_000;
    // an order placed by this request has no attempt yet unless a replay started one: that shows under the lock
    let look = !how.newAttempt && !how.placed;
    while (Date.now() < deadline) {
      const open = look ? await this.openInstructions(order.id) : null;
      if (open) return open;
      look = !how.newAttempt;
      if (await this.deps.redis.set(key, "1", "PX", 30_000, "NX")) {
        try {
          const payments = await this.deps.payments.paymentsOf(order.id);
          const again = how.newAttempt ? null : openAttempt(payments);
          if (again) return again;
          if (payments.some(cutOff)) await this.deps.payments.closeInterruptedStarts(order.id);
          // the order as placed is current while no attempt exists; otherwise the start reads it again
          const current = how.placed && payments.length === 0 ? order : order.id;
          return (await this.deps.payments.start(current, methodCode, payments.length)).payment;
        } finally {
          await this.deps.redis.del(key);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw conflict("The payment of this order is being started, try again");
  }

  private async openInstructions(orderId: string): Promise<Payment | null> {
    return openAttempt(await this.deps.payments.paymentsOf(orderId));
  }

  private async memberContact(userId: string, given: NormalisedCheckout["contact"]) {
    const user = await this.deps.identity.getUser(userId);
    return { name: given?.name || user.name, email: given?.email || user.email, whatsapp: given?.whatsapp || user.whatsapp };
  }

  private async cashbackMode(viewer: Extract<Viewer, { kind: "user" }>): Promise<boolean> {
    return viewer.customerType === "RESELLER" && (await this.deps.wallet.isCashbackMode(viewer.userId));
  }
}

type NormalisedCheckout = ReturnType<typeof normalise>;

/** newAttempt: payOrder, always a new attempt; placed: the order was just created by this request. */
interface StartHow {
  newAttempt?: boolean;
  placed?: boolean;
}

/** A PENDING attempt without instructions: still starting, or cut off by a crash (never shown, so never payable). */
const cutOff = (payment: Payment) => payment.status === PaymentStatus.PENDING && payment.instructions === null;

/** The newest PENDING attempt that got its instructions. */
const openAttempt = (payments: Payment[]): Payment | null =>
  payments.filter((payment) => payment.status === PaymentStatus.PENDING && !cutOff(payment)).at(-1) ?? null;

/** The method's limits apply to the final total (fee included). */
function checkAmount(order: Order, method: PaymentMethod): void {
  if (order.total < method.minAmount || order.total > method.maxAmount) throw badInput(`${method.displayName} does not accept this amount`, { field: "paymentMethod" });
}

/** Shape checks before anything is read or written; what is hashed for the idempotency key. */
function normalise(input: CheckoutInput, userId: string | null) {
  const idempotencyKey = requireKey(input.idempotencyKey);
  if (!Array.isArray(input.items) || input.items.length < 1 || input.items.length > MAX_ITEMS) {
    throw badInput(`An order holds 1-${MAX_ITEMS} items`, { field: "items" });
  }
  const items = input.items.map((item) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) throw badInput("Quantity must be a positive whole number", { field: "quantity" });
    const inputs = item.inputs ?? {};
    for (const value of Object.values(inputs)) if (typeof value !== "string") throw badInput("Item inputs must be text", { field: "inputs" });
    return { variantId: String(item.variantId), quantity: item.quantity, inputs };
  });
  const points = input.pointsToRedeem ?? 0;
  if (!Number.isSafeInteger(points) || points < 0) throw badInput("pointsToRedeem must be a whole number >= 0", { field: "pointsToRedeem" });
  if (points > 0 && !userId) throw badInput("Sign in to redeem points", { field: "pointsToRedeem" });
  const contact = input.contact
    ? { name: input.contact.name?.trim() ?? "", email: input.contact.email?.trim().toLowerCase() || null, whatsapp: input.contact.whatsapp?.trim() || null }
    : null;
  if (!userId && !contact) throw badInput("A guest must give a name and an email or WhatsApp number", { field: "contact" });
  return {
    items,
    contact,
    paymentMethod: String(input.paymentMethod ?? "").trim(),
    voucherCode: input.voucherCode?.trim() || null,
    pointsToRedeem: points,
    idempotencyKey,
  };
}

function requireKey(key: unknown): string {
  if (typeof key !== "string" || !key.trim()) throw badInput("idempotencyKey is required", { field: "idempotencyKey" });
  return key.trim();
}
