import type Queue from "bull";
import type { DataSource, EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { In, IsNull, LessThan, MoreThan } from "typeorm";
import { afterCommit } from "../../core/after-commit";
import { batchedInsert } from "../../core/batched-insert";
import { Batcher } from "../../core/batcher";
import type { EventBus } from "../../core/event-bus";
import { LogTally } from "../../core/log-tally";
import { insertRows } from "../../core/row-insert";
import { selectRows } from "../../core/row-select";
import type { Logger } from "../../core/logger";
import type { QueueRegistry } from "../../core/queues";
import { badInput, conflict, forbidden, notFound } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import type { Order } from "../ordering/order.entity";
import { OrderStatus, UNPAID_STATUSES } from "../ordering/order-state";
import type { OrderService } from "../ordering/ordering.service";
import type { CallbackRequest, GatewayPaymentStatus, RefundResult } from "./gateways/payment-gateway";
import type { GatewayRegistry } from "./gateways/gateway-registry";
import { CallbackOutcome, PaymentCallback } from "./payment-callback.entity";
import { FeeBearer, PaymentMethod } from "./payment-method.entity";
import { PaymentMethodCache } from "./payment-method-cache";
import { Payment, PaymentStatus } from "./payment.entity";
import { FAILED_ORDER_REFUND, RefundTask, RefundTaskStatus } from "./refund-task.entity";
import type { PaymentsConfig } from "./payments.config";

export const PAYMENT_CALLBACKS_QUEUE = "payment-callbacks";
/** Verified callbacks whose claimed amount is not what their payment asks: processed apart (see receiveCallback). */
export const SUSPECT_CALLBACKS_QUEUE = "payment-callbacks-suspect";
export const MANUAL_GATEWAY = "MANUAL";
/** Paid from the buyer's wallet inside the checkout transaction (members only; no gateway call). */
export const WALLET_GATEWAY = "WALLET";
const UNPAID_OR_RELEASED: readonly OrderStatus[] = [...UNPAID_STATUSES, OrderStatus.EXPIRED, OrderStatus.CANCELLED];

/** A member paid an order that had already expired: the integration credits the wallet here. */
export type LatePaymentHandler = (manager: EntityManager, late: { order: Order; payment: Payment; amount: number }) => Promise<void>;

export interface PaymentMethodInput {
  code: string;
  gateway: string;
  channel: string;
  displayName: string;
  feeFlat: number;
  feePercentBp: number;
  feeBearer: FeeBearer;
  minAmount: number;
  maxAmount: number;
  active: boolean;
  sort: number;
  instructions?: string | null;
}

export interface StartedPayment {
  payment: Payment;
  payUrl: string | null;
  vaNumber: string | null;
  qrString: string | null;
  paymentCode: string | null;
  instructions: string | null;
  expiresAt: Date | null;
}

/** Payment methods, payment attempts, the callback pipeline, polling and refund tasks. */
export class PaymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderService,
    private readonly gateways: GatewayRegistry,
    private readonly queues: QueueRegistry,
    private readonly audit: AuditService,
    private readonly config: PaymentsConfig,
    private readonly logger: Logger,
    eventBus: EventBus,
    /** Members' late payments: until the wallet lands this opens a refund task too (see README). */
    private onMemberLatePayment: LatePaymentHandler | null = null,
  ) {
    this.methodCache = new PaymentMethodCache(() => this.allMethods(), eventBus);
    this.refusals = new LogTally(logger);
    this.batchedCallbacks = batchedInsert(dataSource, PaymentCallback);
    this.suspectJobs = new Batcher((ids) => queues.get(SUSPECT_CALLBACKS_QUEUE).addBulk(ids.map((id) => ({ name: "callback", data: { callbackId: id }, opts: callbackJob(id) }))), {
      windowMs: 200,
      maxItems: 100,
    });
  }

  private readonly methodCache: PaymentMethodCache;
  /** refused and unknown callbacks: anyone can send them, so a flood is logged as counts */
  private readonly refusals: LogTally;
  /** ... and stored several to a statement, with the suspect ones (which wait in a paced queue anyway) */
  private readonly batchedCallbacks: Batcher<PaymentCallback>;
  /** ... and the suspect ones queued several at a time (they are settled at a pace anyway) */
  private readonly suspectJobs: Batcher<string>;

  setLatePaymentHandler(handler: LatePaymentHandler): void {
    this.onMemberLatePayment = handler;
  }

  // ---- payment methods -----------------------------------------------------

  /** The fee for an amount: flat + percent (basis points, rounded up to whole rupiah). */
  static feeFor(method: Pick<PaymentMethod, "feeFlat" | "feePercentBp">, amount: number): number {
    return method.feeFlat + Math.ceil((amount * method.feePercentBp) / 10_000);
  }

  /** What the buyer pays on top of `amount` with this method. */
  static buyerFee(method: PaymentMethod, amount: number): number {
    return method.feeBearer === FeeBearer.BUYER ? PaymentService.feeFor(method, amount) : 0;
  }

  /** Active methods usable for this amount, in display order. */
  async methodsFor(amount: number, options: { wallet?: boolean } = {}): Promise<PaymentMethod[]> {
    if (!Number.isSafeInteger(amount) || amount < 0) throw badInput("amount must be a whole number of rupiah");
    const methods = await this.methodCache.all();
    // the wallet only makes sense for a signed-in buyer
    return methods.filter((m) => m.active && amount >= m.minAmount && amount <= m.maxAmount && this.usable(m) && (options.wallet || m.gateway !== WALLET_GATEWAY));
  }

  allMethods(): Promise<PaymentMethod[]> {
    return this.dataSource.getRepository(PaymentMethod).find({ order: { sort: "ASC", code: "ASC" } });
  }

  /** An active, usable method (cached: see PaymentMethodCache). */
  async method(code: string): Promise<PaymentMethod> {
    const method = await this.methodCache.active(code);
    if (!method || !this.usable(method)) throw badInput(`Payment method ${code} is not available`);
    return method;
  }

  async saveMethod(id: string | null, input: PaymentMethodInput, actorId: string | null): Promise<PaymentMethod> {
    validateMethod(input);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(PaymentMethod);
      const existing = id ? await repo.findOne({ where: { id }, lock: { mode: "pessimistic_write" } }) : null;
      if (id && !existing) throw notFound("Payment method");
      const clash = await repo.findOne({ where: { code: input.code } });
      if (clash && clash.id !== id) throw conflict(`Payment method code ${input.code} is taken`);
      const before = existing ? { ...existing } : null;
      const method = Object.assign(existing ?? new PaymentMethod(), input, { instructions: input.instructions ?? null });
      await repo.save(method);
      await this.audit.record(manager, {
        actorId,
        action: existing ? "payment_method.update" : "payment_method.create",
        targetType: "payment_method",
        targetId: method.id,
        before: before as Record<string, unknown> | null,
        after: { ...method } as Record<string, unknown>,
      });
      await afterCommit(manager, () => this.methodCache.changed());
      return method;
    });
  }

  private usable(method: PaymentMethod): boolean {
    return method.gateway === MANUAL_GATEWAY || method.gateway === WALLET_GATEWAY || this.gateways.has(method.gateway);
  }

  // ---- starting a payment --------------------------------------------------

  /**
   * Opens a payment attempt for an unpaid order and returns how to pay. The
   * row is committed before the gateway is called, so a callback can never
   * arrive for a payment the store does not know. A caller holding the order
   * as it is (just placed) and its attempt count saves their reads.
   */
  async start(orderOrId: Order | string, methodCode: string, attemptsSoFar?: number): Promise<StartedPayment> {
    const order = typeof orderOrId === "string" ? await this.orders.get(orderOrId) : orderOrId;
    const orderId = order.id;
    if (order.status !== OrderStatus.PENDING_PAYMENT) throw conflict(`Order is ${order.status}, it cannot be paid now`);
    if (order.expiresAt <= new Date()) throw conflict("Order has expired");
    const method = await this.method(methodCode);
    if (method.gateway === WALLET_GATEWAY) throw badInput("The wallet is charged at checkout, not here");
    if (order.total < method.minAmount || order.total > method.maxAmount) throw badInput(`${method.displayName} does not accept this amount`);
    const attempt = (attemptsSoFar ?? (await this.dataSource.getRepository(Payment).count({ where: { orderId } }))) + 1;
    const payment = Object.assign(new Payment(), {
      orderId,
      reference: `${order.invoiceNumber}-${attempt}`,
      gateway: method.gateway,
      methodCode: method.code,
      channel: method.channel,
      amount: order.total,
      amountToPay: order.total,
      gatewayReference: null,
      status: PaymentStatus.PENDING,
      instructions: method.gateway === MANUAL_GATEWAY ? { instructions: method.instructions } : null,
      expiresAt: order.expiresAt,
      paidAt: null,
      lastCheckedAt: null,
    });
    await insertRows(this.dataSource.manager, Payment, payment).catch((error: { driverError?: { code?: string } }) => {
      if (error.driverError?.code === "ER_DUP_ENTRY") throw conflict("A payment for this order is being started, try again");
      throw error;
    });
    if (method.gateway === MANUAL_GATEWAY) return { payment, ...NO_INSTRUCTIONS, instructions: method.instructions, expiresAt: order.expiresAt };

    const gateway = this.gateways.get(method.gateway);
    try {
      const charge = await gateway.createCharge({
        reference: payment.reference,
        amount: order.total,
        channel: method.channel,
        customer: {
          name: order.contactName,
          email: order.contactEmail ?? `${order.contactWhatsapp ?? "buyer"}@buyers.lapak.invalid`,
          phone: order.contactWhatsapp ?? undefined,
        },
        items: chargeItems(order),
        expiresAt: order.expiresAt,
        callbackUrl: `${this.config.storeUrl()}/webhooks/${method.gateway.toLowerCase()}`,
      });
      const instructions = {
        payUrl: charge.payUrl ?? null,
        vaNumber: charge.vaNumber ?? null,
        qrString: charge.qrString ?? null,
        paymentCode: charge.paymentCode ?? null,
      };
      Object.assign(payment, {
        gatewayReference: charge.gatewayReference,
        amountToPay: charge.amountToPay,
        instructions,
        expiresAt: charge.expiresAt ?? order.expiresAt,
      });
      await this.dataSource.getRepository(Payment).update(
        { id: payment.id },
        { gatewayReference: payment.gatewayReference, amountToPay: payment.amountToPay, instructions, expiresAt: payment.expiresAt } as QueryDeepPartialEntity<Payment>,
      );
      return { payment, ...instructions, instructions: null, expiresAt: payment.expiresAt };
    } catch (error) {
      await this.dataSource.getRepository(Payment).update({ id: payment.id, status: PaymentStatus.PENDING }, { status: PaymentStatus.FAILED });
      this.logger.warn("payment start failed", { orderId, gateway: method.gateway, error: (error as Error).message });
      throw badInput(`${method.displayName} is unavailable right now, please choose another payment method`);
    }
  }

  /**
   * Closes attempts whose start was cut off (the process died between writing
   * the row and storing the gateway's answer): the buyer never saw their
   * instructions, so they could never be paid. Call it holding the order's
   * payment-start lock, so no start still running is closed.
   */
  async closeInterruptedStarts(orderId: string): Promise<number> {
    const result = await this.dataSource.getRepository(Payment).update({ orderId, status: PaymentStatus.PENDING, instructions: IsNull() }, { status: PaymentStatus.FAILED });
    if (result.affected) this.logger.warn("closed interrupted payment starts", { orderId, count: result.affected });
    return result.affected ?? 0;
  }

  paymentsOf(orderId: string): Promise<Payment[]> {
    return this.dataSource.getRepository(Payment).find({ where: { orderId }, order: { createdAt: "ASC" } });
  }

  // ---- callbacks: intake ---------------------------------------------------

  handlesGateway(code: string): boolean {
    return this.gateways.has(code);
  }

  /**
   * Verifies, triages and stores one callback, then answers at once. A verified
   * callback that names no payment of ours is settled here: our payment row is
   * committed before any gateway hears of its reference, so a real callback
   * always finds it. The rest are processed by a queue (job id = callback id):
   * "payment-callbacks", or "payment-callbacks-suspect" when the claimed amount
   * is not the payment's, so a flood of those never delays callbacks that pay orders.
   */
  async receiveCallback(gatewayCode: string, request: CallbackRequest): Promise<{ status: number; body: unknown; callbackId: string | null }> {
    if (!this.gateways.has(gatewayCode)) return { status: 404, body: { error: "unknown gateway" }, callbackId: null };
    const gateway = this.gateways.get(gatewayCode);
    const parsed = gateway.parseCallback(request);
    const payment = parsed.verified ? await this.findPayment(parsed.reference, parsed.gatewayReference) : null;
    const settledNow = !parsed.verified ? CallbackOutcome.REJECTED_SIGNATURE : !payment ? CallbackOutcome.UNKNOWN_PAYMENT : null;
    const row = Object.assign(new PaymentCallback(), {
      gateway: gateway.code,
      subPath: request.subPath.slice(0, 100),
      headers: request.headers as Record<string, unknown>,
      rawBody: request.rawBody.toString("utf8"),
      ip: request.ip,
      verified: parsed.verified,
      reason: parsed.reason?.slice(0, 255) ?? null,
      reference: parsed.reference?.slice(0, 64) ?? null,
      gatewayReference: parsed.gatewayReference?.slice(0, 100) ?? null,
      eventKey: parsed.eventKey.slice(0, 190) || null,
      status: parsed.status,
      amountPaid: parsed.amountPaid,
      outcome: settledNow,
      processedAt: settledNow ? new Date() : null,
    });
    const queue = payment ? queueFor(row, payment) : null;
    // one that changes nothing, or claims another amount than its payment's, may wait a few ms for company;
    // one that may pay an order goes at once
    if (settledNow || queue === SUSPECT_CALLBACKS_QUEUE) await this.batchedCallbacks.add(row);
    else await insertRows(this.dataSource.manager, PaymentCallback, row);
    if (!payment || !queue) {
      this.refusals.warn(parsed.verified ? "callback for an unknown payment" : "payment callback rejected", { gateway: gateway.code }, { reason: parsed.reason, reference: parsed.reference, callbackId: row.id });
      return { ...gateway.answer(parsed.verified ? "accepted" : "rejected"), callbackId: row.id };
    }
    // Stored and committed: a lost enqueue is picked up by the sweep (requeueStoredCallbacks). A suspect one
    // is not waited for; the gateway waits for any other at most AFTER_COMMIT_WAIT_MS (with Redis away the
    // add would hang until it is back)
    const notQueued = (error: Error) => this.logger.warn("callback not queued", { callbackId: row.id, error: error.message });
    if (queue === SUSPECT_CALLBACKS_QUEUE) void this.suspectJobs.add(row.id).catch(notQueued);
    else await afterCommit(this.dataSource.manager, () => this.enqueueCallback(row.id, queue).catch(notQueued));
    return { ...gateway.answer("accepted"), callbackId: row.id };
  }

  private async enqueueCallback(callbackId: string, queue: string): Promise<void> {
    await this.queues.get(queue).add("callback", { callbackId }, callbackJob(callbackId));
  }

  // ---- callbacks: processing -----------------------------------------------

  /** Applies one stored callback (safe to run twice: a processed row is skipped). */
  async processCallback(callbackId: string): Promise<CallbackOutcome | null> {
    const callback = await this.dataSource.getRepository(PaymentCallback).findOne({ where: { id: callbackId } });
    if (!callback || callback.processedAt) return callback?.outcome ?? null;
    const gateway = this.gateways.get(callback.gateway);
    const parsed = gateway.parseCallback({
      subPath: callback.subPath,
      headers: callback.headers as CallbackRequest["headers"],
      rawBody: Buffer.from(callback.rawBody, "utf8"),
      ip: callback.ip ?? "",
    });
    let status = parsed.status;
    let amountPaid = parsed.amountPaid;
    const known = await this.findPayment(parsed.reference, parsed.gatewayReference);
    if (known && parsed.requiresStatusCheck) {
      const truth = await gateway.queryStatus(known);
      status = truth.status;
      amountPaid = truth.amountPaid;
    }
    return this.dataSource.transaction(async (manager) => {
      const fresh = await manager.findOne(PaymentCallback, { where: { id: callbackId }, lock: { mode: "pessimistic_write" } });
      if (!fresh || fresh.processedAt) return fresh?.outcome ?? null;
      const outcome = known
        ? await this.applyStatus(manager, known.id, status, amountPaid, { actor: `gateway:${callback.gateway}`, source: `callback ${callbackId}` })
        : CallbackOutcome.UNKNOWN_PAYMENT;
      await manager.update(PaymentCallback, { id: callbackId }, { outcome, processedAt: new Date() });
      if (outcome === CallbackOutcome.UNKNOWN_PAYMENT) this.logger.warn("callback for an unknown payment", { callbackId, reference: parsed.reference });
      return outcome;
    });
  }

  /**
   * The payment a callback names: by our reference, unless the gateway's own
   * reference says it is another transaction; else by the gateway's reference.
   * One statement for both keys: forged callbacks naming no payment are most of a flood.
   */
  private async findPayment(reference: string | null, gatewayReference: string | null): Promise<Payment | null> {
    if (!reference && !gatewayReference) return null;
    const found = await selectRows(this.dataSource.manager, Payment, "reference = ? OR gateway_reference = ?", [reference, gatewayReference]);
    const byReference = reference ? found.find((payment) => sameKey(payment.reference, reference)) : undefined;
    if (byReference) {
      const ours = !gatewayReference || !byReference.gatewayReference || sameKey(byReference.gatewayReference, gatewayReference);
      return ours ? byReference : null; // the gateway names another transaction than ours
    }
    return (gatewayReference && found.find((payment) => sameKey(payment.gatewayReference, gatewayReference))) || null;
  }

  /**
   * The one place a gateway's word changes a payment (callbacks and polling).
   * PAID is applied at most once: a conditional UPDATE on the payment's status.
   */
  async applyStatus(
    manager: EntityManager,
    paymentId: string,
    status: GatewayPaymentStatus,
    amountPaid: number | null,
    meta: { actor: string; source: string },
  ): Promise<CallbackOutcome> {
    const payment = await manager.findOneOrFail(Payment, { where: { id: paymentId }, lock: { mode: "pessimistic_write" } });
    if (status === "PENDING") return payment.status === PaymentStatus.PENDING ? CallbackOutcome.APPLIED : CallbackOutcome.IGNORED_REGRESSION;
    if (status === "EXPIRED" || status === "FAILED") {
      if (payment.status !== PaymentStatus.PENDING) return CallbackOutcome.IGNORED_REGRESSION;
      await manager.update(Payment, { id: payment.id, status: PaymentStatus.PENDING }, { status: status === "EXPIRED" ? PaymentStatus.EXPIRED : PaymentStatus.FAILED });
      return CallbackOutcome.APPLIED;
    }
    if (status === "REFUNDED") {
      if (payment.status !== PaymentStatus.PAID) return CallbackOutcome.IGNORED_REGRESSION;
      await manager.update(Payment, { id: payment.id, status: PaymentStatus.PAID }, { status: PaymentStatus.REFUNDED });
      await this.orders.flagForReview(manager, payment.orderId, `gateway reports payment ${payment.reference} refunded`);
      return CallbackOutcome.APPLIED;
    }
    // PAID
    if (payment.status === PaymentStatus.PAID || payment.status === PaymentStatus.REFUNDED) return CallbackOutcome.DUPLICATE;
    if (amountPaid !== payment.amountToPay) {
      await this.orders.flagForReview(manager, payment.orderId, `amount mismatch on ${payment.reference}: paid ${String(amountPaid)}, expected ${payment.amountToPay}`);
      return CallbackOutcome.AMOUNT_MISMATCH;
    }
    const changed = await manager
      .createQueryBuilder()
      .update(Payment)
      .set({ status: PaymentStatus.PAID, paidAt: new Date() })
      .where("id = :id AND status IN (:...from)", { id: payment.id, from: [PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.FAILED] })
      .execute();
    if (changed.affected !== 1) return CallbackOutcome.DUPLICATE;
    const order = await this.orders.lock(manager, payment.orderId);
    if (UNPAID_STATUSES.includes(order.status)) {
      await this.orders.advance(manager, order, OrderStatus.PAID, {
        actor: meta.actor,
        reason: `paid via ${payment.methodCode}`,
        payload: { paymentId: payment.id, reference: payment.reference, gatewayReference: payment.gatewayReference, amount: amountPaid, source: meta.source },
      });
      return CallbackOutcome.APPLIED;
    }
    // Money arrived for an order that can no longer be fulfilled: never lose it.
    await this.recordLatePayment(manager, order, payment, amountPaid);
    return CallbackOutcome.LATE_AFTER_EXPIRY;
  }

  private async recordLatePayment(manager: EntityManager, order: Order, payment: Payment, amount: number): Promise<void> {
    await this.orders.flagForReview(manager, order.id, `paid ${amount} after the order became ${order.status} (${payment.reference})`);
    if (order.userId && this.onMemberLatePayment) {
      await this.onMemberLatePayment(manager, { order, payment, amount });
      return;
    }
    const reason = UNPAID_OR_RELEASED.includes(order.status) ? "LATE_PAYMENT" : "DUPLICATE_PAYMENT";
    await this.openRefundTask(manager, { orderId: order.id, paymentId: payment.id, reason, amount });
  }

  /** The payment that paid an order (null for none, e.g. a fully discounted order). */
  async paidPaymentOf(orderId: string, manager: EntityManager = this.dataSource.manager): Promise<Payment | null> {
    return manager.findOne(Payment, { where: { orderId, status: PaymentStatus.PAID }, order: { createdAt: "ASC" } });
  }

  /** Refunds a payment through its gateway's API; null when the gateway has none (billing settles a refund task instead). */
  async refundAtGateway(payment: Payment, amount: number, reason: string): Promise<RefundResult | null> {
    if (!this.gateways.has(payment.gateway)) return null;
    const gateway = this.gateways.get(payment.gateway);
    return gateway.refund ? gateway.refund(payment, amount, reason) : null;
  }

  /** Opens a refund task once per order, reason and payment (a second call is a no-op). */
  async openRefundTask(manager: EntityManager, task: { orderId: string; paymentId: string | null; reason: string; amount: number }): Promise<void> {
    const row = Object.assign(new RefundTask(), task, { dedupeKey: `${task.orderId}:${task.reason}:${task.paymentId ?? ""}` });
    row.assignId();
    await manager.createQueryBuilder().insert().into(RefundTask).values(row).orIgnore().execute();
  }

  refundTasks(filter: { orderId?: string; status?: RefundTaskStatus }): Promise<RefundTask[]> {
    return this.dataSource.getRepository(RefundTask).find({ where: { ...filter }, order: { createdAt: "ASC" }, take: 200 });
  }

  /** Billing marks a refund as done with the bank/gateway reference (audited). */
  async settleRefundTask(taskId: string, reference: string, staffId: string): Promise<RefundTask> {
    const ref = reference?.trim() ?? "";
    if (ref.length < 3 || ref.length > 100) throw badInput("Give the refund reference (3-100 characters)");
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOne(RefundTask, { where: { id: taskId }, lock: { mode: "pessimistic_write" } });
      if (!task) throw notFound("Refund task");
      if (task.status !== RefundTaskStatus.OPEN) throw conflict("This refund task is already settled");
      Object.assign(task, { status: RefundTaskStatus.SETTLED, reference: ref, settledBy: staffId, settledAt: new Date() });
      await manager.update(RefundTask, { id: task.id }, { status: task.status, reference: ref, settledBy: staffId, settledAt: task.settledAt });
      await this.audit.record(manager, {
        actorId: staffId,
        action: "refund_task.settle",
        targetType: "refund_task",
        targetId: task.id,
        before: { status: RefundTaskStatus.OPEN },
        after: { status: RefundTaskStatus.SETTLED, reference: ref, orderId: task.orderId, amount: task.amount },
      });
      if (task.reason === FAILED_ORDER_REFUND) {
        await this.orders.transitionIf(manager, task.orderId, [OrderStatus.FAILED], OrderStatus.REFUNDED, {
          actor: `staff:${staffId}`,
          reason: "refunded by billing",
          payload: { refundTaskId: task.id, reference: ref },
        });
      }
      return task;
    });
  }

  // ---- polling -------------------------------------------------------------

  /**
   * Asks the gateway about payments still pending past PAYMENT_POLL_AFTER_SECONDS
   * (callbacks are triggers, not the only truth), and re-queues stored
   * callbacks whose job was lost. Returns how many payments changed.
   */
  async pollPending(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.pollAfterSeconds * 1000);
    const pending = await this.dataSource.getRepository(Payment).find({
      where: {
        status: PaymentStatus.PENDING,
        gateway: In(this.gateways.codes()),
        createdAt: LessThan(new Date(cutoff.getTime() + 1)),
        expiresAt: MoreThan(new Date(now.getTime() - 24 * 3600 * 1000)),
      },
      order: { lastCheckedAt: "ASC" },
      take: 50,
    });
    let changed = 0;
    for (const payment of pending) {
      try {
        const truth = await this.gateways.get(payment.gateway).queryStatus(payment);
        const outcome = await this.dataSource.transaction(async (manager) => {
          await manager.update(Payment, { id: payment.id }, { lastCheckedAt: now });
          return truth.status === "PENDING"
            ? null
            : this.applyStatus(manager, payment.id, truth.status, truth.amountPaid, { actor: `gateway:${payment.gateway}`, source: "status poll" });
        });
        if (outcome === CallbackOutcome.APPLIED || outcome === CallbackOutcome.LATE_AFTER_EXPIRY) changed++;
      } catch (error) {
        this.logger.warn("payment status poll failed", { paymentId: payment.id, error: (error as Error).message });
      }
    }
    return changed;
  }

  /**
   * Stored, verified callbacks still unprocessed after 30 s lost their job
   * (a crash between COMMIT and enqueue, Redis lost it, or it failed every
   * attempt): queue them again. Returns how many were re-queued. The paced
   * suspect backlog is waiting, not lost: the 30 s start after the time it
   * still needs, so a flood of suspects is not read again at every poll.
   */
  async requeueStoredCallbacks(now = new Date()): Promise<number> {
    const backlog = await this.queues.get(SUSPECT_CALLBACKS_QUEUE).getWaitingCount();
    const backlogMs = (backlog / this.config.suspectCallbacksPerSecond) * 1000;
    const stale = await this.dataSource.getRepository(PaymentCallback).find({
      select: { id: true, reference: true, gatewayReference: true, amountPaid: true },
      where: { verified: true, processedAt: IsNull(), createdAt: LessThan(new Date(now.getTime() - 30_000 - backlogMs)) },
      order: { createdAt: "ASC" },
      take: 100,
    });
    let requeued = 0;
    for (const callback of stale) {
      const id = callback.id;
      try {
        const name = queueFor(callback, await this.findPayment(callback.reference, callback.gatewayReference));
        const queue = this.queues.get(name);
        const job = await queue.getJob(id);
        if (job && (await job.isFailed())) await job.retry();
        else if (job && !(await job.isCompleted())) continue; // waiting, delayed or active: it will run
        else {
          await job?.remove();
          await this.enqueueCallback(id, name);
        }
        requeued++;
      } catch (error) {
        this.logger.warn("callback not re-queued", { callbackId: id, error: (error as Error).message });
      }
    }
    return requeued;
  }

  // ---- sandbox -------------------------------------------------------------

  /** Sandbox only: asks the gateway's simulator to pay the order's open payment. */
  async simulatePayment(orderId: string): Promise<Payment> {
    if (!this.config.sandbox) throw forbidden("simulatePayment exists only in sandbox mode");
    const payment = await this.dataSource.getRepository(Payment).findOne({
      where: { orderId, status: PaymentStatus.PENDING },
      order: { createdAt: "DESC" },
    });
    if (!payment) throw notFound("Open payment for this order");
    const pay = this.gateways.sandboxPayer(payment.gateway);
    if (!pay) throw badInput(`The ${payment.gateway} payment cannot be simulated`);
    await pay(payment);
    return payment;
  }
}

/** A callback's job: its id is the callback's, so the sweep and the intake cannot queue it twice. */
function callbackJob(callbackId: string): Queue.JobOptions {
  return { jobId: callbackId, attempts: 8, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 };
}

/** Where a verified callback waits: one claiming an amount other than its payment's goes to the suspect queue. */
function queueFor(callback: Pick<PaymentCallback, "amountPaid">, payment: Payment | null): string {
  return payment && (callback.amountPaid === null || callback.amountPaid === payment.amountToPay) ? PAYMENT_CALLBACKS_QUEUE : SUSPECT_CALLBACKS_QUEUE;
}

/** References compare as their columns do (utf8mb4_unicode_ci: case and trailing spaces do not count). */
function sameKey(stored: string | null, given: string): boolean {
  return stored !== null && stored.trimEnd().localeCompare(given.trimEnd(), "en", { sensitivity: "base" }) === 0;
}

const NO_INSTRUCTIONS = { payUrl: null, vaNumber: null, qrString: null, paymentCode: null };

/** Items for the gateway; their sum must equal the amount (fees and discounts become their own lines). */
function chargeItems(order: Order) {
  const items = (order.items ?? []).map((item) => ({ sku: item.variantId, name: item.productName.slice(0, 100), price: item.unitPrice, quantity: item.quantity }));
  const rest = order.total - items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  if (rest !== 0) {
    items.push({ sku: rest > 0 ? "FEE" : "DISCOUNT", name: rest > 0 ? "Payment fee" : "Discount", price: rest, quantity: 1 });
  }
  return items;
}

function validateMethod(input: PaymentMethodInput): void {
  if (!/^[A-Z0-9_]{2,40}$/.test(input.code)) throw badInput("code must be 2-40 upper-case letters, digits or _");
  if (!/^[A-Z]{2,20}$/.test(input.gateway)) throw badInput("gateway must be a gateway code such as TRIPAY or MANUAL");
  if (!input.channel.trim() || input.channel.length > 60) throw badInput("channel must be 1-60 characters");
  if (!input.displayName.trim() || input.displayName.length > 100) throw badInput("displayName must be 1-100 characters");
  for (const [name, value] of Object.entries({ feeFlat: input.feeFlat, feePercentBp: input.feePercentBp, minAmount: input.minAmount, maxAmount: input.maxAmount })) {
    if (!Number.isSafeInteger(value) || value < 0) throw badInput(`${name} must be a whole number >= 0`);
  }
  if (input.feePercentBp > 10_000) throw badInput("feePercentBp cannot exceed 10000 (100 %)");
  if (input.minAmount > input.maxAmount) throw badInput("minAmount cannot exceed maxAmount");
}
