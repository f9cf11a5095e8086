import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Viewer } from "../../core/context";
import { badInput, conflict, notFound } from "../../core/errors";
import type { AuditService } from "../audit/audit.service";
import type { Order } from "../ordering/order.entity";
import { OrderStatus } from "../ordering/order-state";
import type { OrderService, Page } from "../ordering/ordering.service";
import { PaymentProof, ProofStatus } from "./payment-proof.entity";
import { Payment, PaymentStatus } from "./payment.entity";
import { MANUAL_GATEWAY } from "./payments.service";
import type { PaymentsConfig } from "./payments.config";
import { sniffProofType, type ProofStorage } from "./proof-storage";

export interface ProofUpload {
  orderId: string;
  /** Guests prove the order is theirs with the tracking token. */
  trackingToken?: string | null;
  base64: string;
}

/** Manual bank transfer: the buyer uploads a proof, CS confirms (→ PAID) or rejects it. */
export class ManualTransferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderService,
    private readonly storage: ProofStorage,
    private readonly audit: AuditService,
    private readonly config: PaymentsConfig,
  ) {}

  async uploadProof(upload: ProofUpload, viewer: Viewer): Promise<PaymentProof> {
    const order = await this.orders.getForBuyer(upload.orderId, viewer, upload.trackingToken, { staff: false });
    const bytes = decodeBase64(upload.base64, this.config.proofMaxBytes);
    const type = sniffProofType(bytes);
    if (!type) throw badInput("The proof must be a PNG, JPEG, WebP image or a PDF");
    const payment = await this.openManualPayment(order.id);
    if (order.status !== OrderStatus.PENDING_PAYMENT) throw conflict(`Order is ${order.status}, a proof cannot be uploaded now`);
    if (order.expiresAt <= new Date()) throw conflict("Order has expired");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const proof = Object.assign(new PaymentProof(), {
      orderId: order.id,
      paymentId: payment.id,
      contentType: type.contentType,
      sizeBytes: bytes.length,
      sha256,
      status: ProofStatus.SUBMITTED,
      reviewedBy: null,
      reviewReason: null,
    });
    proof.assignId();
    proof.storageKey = `${order.createdAt.toISOString().slice(0, 7)}/${order.id}/${proof.id}.${type.extension}`;
    // The file first: a row never points at a missing file (an orphan file is harmless).
    await this.storage.put(proof.storageKey, bytes, type.contentType);
    await this.dataSource.transaction(async (manager) => {
      await this.orders.transition(manager, order.id, OrderStatus.WAITING_VERIFICATION, {
        actor: viewer.kind === "user" ? `user:${viewer.userId}` : "guest",
        reason: "payment proof uploaded",
        payload: { proofId: proof.id, sha256, sizeBytes: bytes.length },
      });
      await manager.insert(PaymentProof, proof);
    });
    return proof;
  }

  /** Orders waiting for a CS check, oldest first. */
  queue(first?: number, after?: string | null): Promise<Page<Order>> {
    return this.orders.listByStatus(OrderStatus.WAITING_VERIFICATION, first, after);
  }

  latestProof(orderId: string): Promise<PaymentProof | null> {
    return this.dataSource.getRepository(PaymentProof).findOne({ where: { orderId }, order: { createdAt: "DESC", id: "DESC" } });
  }

  async proofFile(proofId: string): Promise<{ proof: PaymentProof; bytes: Buffer }> {
    const proof = await this.dataSource.getRepository(PaymentProof).findOne({ where: { id: proofId } });
    if (!proof) throw notFound("Payment proof");
    return { proof, bytes: await this.storage.get(proof.storageKey) };
  }

  /** CS confirms the money arrived: payment PAID and order PAID, audited, in one transaction. */
  async confirm(orderId: string, staffId: string): Promise<Order> {
    return this.dataSource.transaction(async (manager) => {
      const { proof } = await this.lockWaiting(manager, orderId);
      if (!proof) throw conflict("No proof is waiting for this order");
      const paid = await manager.update(Payment, { id: proof.paymentId, status: PaymentStatus.PENDING }, { status: PaymentStatus.PAID, paidAt: new Date() });
      if (paid.affected !== 1) throw conflict("This payment is no longer pending");
      await manager.update(PaymentProof, { id: proof.id }, { status: ProofStatus.CONFIRMED, reviewedBy: staffId });
      const updated = await this.orders.transition(manager, orderId, OrderStatus.PAID, {
        actor: `user:${staffId}`,
        reason: "manual transfer confirmed",
        payload: { proofId: proof.id },
      });
      await this.auditDecision(manager, staffId, orderId, "confirm", { status: OrderStatus.PAID, proofId: proof.id });
      return updated;
    });
  }

  /** CS rejects the proof: back to PENDING_PAYMENT, or CANCELLED when the order is past its expiry. */
  async reject(orderId: string, reason: string, staffId: string): Promise<Order> {
    const why = reason?.trim() ?? "";
    if (why.length < 3 || why.length > 255) throw badInput("Give a reason of 3-255 characters");
    return this.dataSource.transaction(async (manager) => {
      const { order, proof } = await this.lockWaiting(manager, orderId);
      if (proof) await manager.update(PaymentProof, { id: proof.id }, { status: ProofStatus.REJECTED, reviewedBy: staffId, reviewReason: why });
      const to = order.expiresAt <= new Date() ? OrderStatus.CANCELLED : OrderStatus.PENDING_PAYMENT;
      if (to === OrderStatus.CANCELLED && proof) {
        await manager.update(Payment, { id: proof.paymentId, status: PaymentStatus.PENDING }, { status: PaymentStatus.FAILED });
      }
      const updated = await this.orders.transition(manager, orderId, to, { actor: `user:${staffId}`, reason: `proof rejected: ${why}`, payload: { proofId: proof?.id ?? null } });
      await this.auditDecision(manager, staffId, orderId, "reject", { status: to, reason: why });
      return updated;
    });
  }

  /** Locks an order waiting for verification and finds its submitted proof. */
  private async lockWaiting(manager: EntityManager, orderId: string): Promise<{ order: Order; proof: PaymentProof | null }> {
    const order = await this.orders.lock(manager, orderId);
    if (order.status !== OrderStatus.WAITING_VERIFICATION) throw conflict(`Order is ${order.status}, nothing to verify`);
    const proof = await manager.findOne(PaymentProof, { where: { orderId, status: ProofStatus.SUBMITTED }, order: { createdAt: "DESC" } });
    return { order, proof };
  }

  private auditDecision(manager: EntityManager, staffId: string, orderId: string, decision: "confirm" | "reject", after: Record<string, unknown>) {
    return this.audit.record(manager, {
      actorId: staffId,
      action: `manual_transfer.${decision}`,
      targetType: "order",
      targetId: orderId,
      before: { status: OrderStatus.WAITING_VERIFICATION },
      after,
    });
  }

  private async openManualPayment(orderId: string): Promise<Payment> {
    const payment = await this.dataSource.getRepository(Payment).findOne({
      where: { orderId, gateway: MANUAL_GATEWAY, status: PaymentStatus.PENDING },
      order: { createdAt: "DESC" },
    });
    if (!payment) throw badInput("This order is not paid by manual transfer");
    return payment;
  }
}

function decodeBase64(value: string, maxBytes: number): Buffer {
  const clean = (value ?? "").replace(/^data:[^;]+;base64,/, "").replace(/\s+/g, "");
  if (clean.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw badInput("The proof must be base64");
  if (Math.floor((clean.length * 3) / 4) > maxBytes + 3) throw badInput(`The proof may be at most ${maxBytes} bytes`);
  const bytes = Buffer.from(clean, "base64");
  if (bytes.length > maxBytes) throw badInput(`The proof may be at most ${maxBytes} bytes`);
  return bytes;
}
