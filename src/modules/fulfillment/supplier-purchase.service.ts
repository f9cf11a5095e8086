import type Queue from "bull";
import { Brackets, In, IsNull, LessThan, type DataSource, type EntityManager } from "typeorm";
import { newId } from "../../core/ids";
import { afterCommit } from "../../core/after-commit";
import { badInput, conflict, notFound } from "../../core/errors";
import { affectedRows } from "../../core/ledger";
import type { Logger } from "../../core/logger";
import type { AuditService } from "../audit/audit.service";
import type { FulfillmentConfig } from "./fulfillment.config";
import { HARD_RECHECK_LIMIT_MS } from "./fulfillment.config";
import { FINAL_STATUSES, OPEN_STATUSES, SupplierPurchase, type PurchaseStatus } from "./supplier-purchase.entity";
import type { ParsedSupplierWebhook, PurchaseResult, Supplier } from "./supplier";

/** The final result of a purchase, handed to the rest of the store (ordering) after the row's transaction commits. */
export interface SupplierPurchaseResult {
  orderItemId: string;
  purchaseId: string;
  refId: string;
  status: "SUCCESS" | "FAILED" | "NEEDS_STAFF";
  sn: string | null;
  message: string | null;
  supplierPayload: unknown;
}

/**
 * Takes a final result. Delivery is at-least-once: it is retried while the
 * listener throws, and may repeat (e.g. a webhook and a worker at once), so
 * the listener must be idempotent per orderItemId + status.
 */
export type PurchaseResultListener = (result: SupplierPurchaseResult) => Promise<void>;

export interface PurchaseRequestInput {
  orderItemId: string;
  sku: string;
  customerNo: string;
  /** integer rupiah: the variant's cost ceiling */
  maxPrice: number;
}

/** A purchase as its requester needs it: which row, and the ref_id the supplier sees. */
export type PurchaseRef = Pick<SupplierPurchase, "id" | "refId" | "orderItemId">;

export type SupplierJob = { kind: "drive"; purchaseId: string } | { kind: "deliver"; purchaseId: string } | { kind: "sweep" };

export const SUPPLIER_QUEUE = "supplier";

export interface SupplierPurchaseDeps {
  dataSource: DataSource;
  supplier: Supplier;
  queue: Queue.Queue<SupplierJob>;
  config: FulfillmentConfig;
  logger: Logger;
  audit: AuditService;
  onResult: PurchaseResultListener;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const isFinal = (status: PurchaseStatus) => FINAL_STATUSES.includes(status);

/**
 * The supplier-purchase engine. A purchase row (the outbox) is written in the
 * caller's transaction; a Bull job then sends it with a ref_id fixed before
 * the first attempt and reused on every retry and re-check, so an order is
 * bought at most once. Every step is a conditional update, so running a job
 * twice (Bull is at-least-once) or racing a webhook changes nothing twice.
 */
export class SupplierPurchaseService {
  constructor(private readonly deps: SupplierPurchaseDeps) {}

  /**
   * Records the purchase of one order item inside the caller's transaction
   * (idempotent per order item) and enqueues it once that transaction commits.
   */
  async request(manager: EntityManager, input: PurchaseRequestInput): Promise<PurchaseRef> {
    validate(input);
    const id = newId();
    const refId = `LPK${id}`;
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(SupplierPurchase)
      .values({
        id,
        orderItemId: input.orderItemId,
        supplier: this.deps.supplier.code,
        refId,
        sku: input.sku,
        customerNo: input.customerNo,
        maxPrice: input.maxPrice,
        status: "QUEUED",
        nextCheckAt: new Date(),
      })
      .orIgnore()
      .updateEntity(false)
      .execute();
    if (affectedRows(inserted.raw) === 1) {
      await afterCommit(manager, () => this.enqueue(id, 0).catch((error: Error) => this.logEnqueueFailure(id, error)));
      return { id, refId, orderItemId: input.orderItemId };
    }
    // the item already has its purchase: the same one, or a CONFLICT
    const row = await manager.findOneByOrFail(SupplierPurchase, { orderItemId: input.orderItemId });
    if (row.sku !== input.sku || row.customerNo !== input.customerNo || row.maxPrice !== input.maxPrice) {
      throw conflict("This order item already has a supplier purchase with other details", { purchaseId: row.id });
    }
    return { id: row.id, refId: row.refId, orderItemId: row.orderItemId };
  }

  find(purchaseId: string): Promise<SupplierPurchase | null> {
    return this.deps.dataSource.getRepository(SupplierPurchase).findOneBy({ id: purchaseId });
  }

  findByOrderItem(orderItemId: string): Promise<SupplierPurchase | null> {
    return this.deps.dataSource.getRepository(SupplierPurchase).findOneBy({ orderItemId });
  }

  /** The store's deposit at the supplier (integer rupiah). */
  balance(): Promise<number> {
    return this.deps.supplier.balance();
  }

  /** Runs one job of the "supplier" queue. */
  async handleJob(job: SupplierJob): Promise<void> {
    if (job.kind === "drive") return this.drive(job.purchaseId);
    if (job.kind === "deliver") {
      if (!(await this.deliverResult(job.purchaseId))) throw new Error("the result listener did not take the result yet");
      return;
    }
    await this.sweep();
  }

  /**
   * One step of a purchase: claim the row, send (or re-send, same ref_id) the
   * request, write what the supplier said, schedule the next re-check.
   * Safe to run any number of times, concurrently or not.
   */
  async drive(purchaseId: string): Promise<void> {
    const repo = this.deps.dataSource.getRepository(SupplierPurchase);
    const row = await repo.findOneBy({ id: purchaseId });
    if (!row) return;
    if (isFinal(row.status)) return void (await this.deliverResult(row.id));
    const now = new Date();
    if (row.giveUpAt && now >= row.giveUpAt) return this.giveUp(row, "re-checks ran out without a final answer from the supplier");

    const token = newId();
    const lockedUntil = new Date(now.getTime() + this.deps.config.leaseMs);
    const earliestLastRequest = new Date(now.getTime() - this.deps.config.recheckMinMs);
    const claimed = await repo
      .createQueryBuilder()
      .update(SupplierPurchase)
      .set({
        lockToken: token,
        lockedUntil,
        nextCheckAt: lockedUntil,
        attempts: () => "attempts + 1",
        lastRequestAt: now,
        firstAttemptAt: () => "COALESCE(first_attempt_at, :now)",
        giveUpAt: () => "COALESCE(give_up_at, :giveUpAt)",
        status: () => "CASE WHEN status = 'QUEUED' THEN 'PROCESSING' ELSE status END",
      })
      .where("id = :id AND status IN (:...open)", { id: row.id, open: OPEN_STATUSES })
      .andWhere(new Brackets((w) => w.where("locked_until IS NULL").orWhere("locked_until < :now")))
      .andWhere(new Brackets((w) => w.where("last_request_at IS NULL").orWhere("last_request_at <= :earliest")))
      .setParameters({ now, earliest: earliestLastRequest, giveUpAt: new Date(now.getTime() + this.deps.config.maxAgeMs) })
      .execute();
    if (!claimed.affected) return; // another run holds it, it is final, or it was asked less than the minimum gap ago

    const result = await this.deps.supplier.purchase({ refId: row.refId, sku: row.sku, customerNo: row.customerNo, maxPrice: row.maxPrice });
    await this.applyAnswer(row.id, token, result);
  }

  /** Writes a supplier answer under the claim token; a webhook that finalised the row meanwhile wins. */
  private async applyAnswer(purchaseId: string, token: string, result: PurchaseResult): Promise<void> {
    const repo = this.deps.dataSource.getRepository(SupplierPurchase);
    const base = { lockToken: null, lockedUntil: null, rc: result.rc, supplierPayload: result.raw as object };
    if (result.outcome === "SUCCESS" || result.outcome === "FAILED") {
      await repo.update(
        { id: purchaseId, lockToken: token, status: In(OPEN_STATUSES) },
        { ...base, status: result.outcome, sn: result.sn, message: truncate(result.message, 255), price: result.price, nextCheckAt: null, lastError: null },
      );
      await this.deliverResult(purchaseId);
      return;
    }
    const row = await repo.findOneByOrFail({ id: purchaseId });
    if (row.lockToken !== token) return void (await this.deliverResult(purchaseId));
    const delay = this.nextDelay(row);
    const pending = result.outcome === "PENDING";
    const updated = await repo.update(
      { id: purchaseId, lockToken: token, status: In(OPEN_STATUSES) },
      {
        ...base,
        status: pending ? "PENDING" : row.status,
        message: truncate(result.message, 255),
        ...(pending ? { lastError: null, price: result.price ?? row.price } : { lastError: truncate(result.message, 500) }),
        nextCheckAt: new Date(Date.now() + delay),
      },
    );
    if (!updated.affected) return void (await this.deliverResult(purchaseId));
    if (!pending) this.deps.logger.warn("supplier purchase will be retried with the same ref_id", { purchaseId, refId: row.refId, rc: result.rc, error: result.message, inMs: delay });
    await this.enqueue(purchaseId, row.attempts, delay).catch((error: Error) => this.logEnqueueFailure(purchaseId, error));
  }

  /** Exponential back-off from the minimum gap, capped, and never past the give-up time. */
  private nextDelay(row: SupplierPurchase): number {
    const { recheckMinMs, recheckMaxMs } = this.deps.config;
    const exponential = Math.min(recheckMaxMs, recheckMinMs * 2 ** Math.min(30, Math.max(0, row.attempts - 1)));
    if (!row.giveUpAt) return exponential;
    return Math.max(recheckMinMs, Math.min(exponential, row.giveUpAt.getTime() - Date.now()));
  }

  private async giveUp(row: SupplierPurchase, reason: string): Promise<void> {
    const updated = await this.deps.dataSource
      .getRepository(SupplierPurchase)
      .createQueryBuilder()
      .update(SupplierPurchase)
      .set({ status: "NEEDS_STAFF", lastError: reason, nextCheckAt: null, lockToken: null, lockedUntil: null })
      .where("id = :id AND status IN (:...open)", { id: row.id, open: OPEN_STATUSES })
      .andWhere(new Brackets((w) => w.where("locked_until IS NULL").orWhere("locked_until < :now", { now: new Date() })))
      .execute();
    if (updated.affected) this.deps.logger.warn("supplier purchase needs staff", { purchaseId: row.id, refId: row.refId, reason });
    await this.deliverResult(row.id);
  }

  /** Whether a purchase with this ref_id exists (one indexed look-up, for the webhook intake). */
  async knows(refId: string): Promise<boolean> {
    const rows: unknown[] = await this.deps.dataSource.query("SELECT 1 FROM supplier_purchases WHERE ref_id = ? LIMIT 1", [refId]);
    return rows.length > 0;
  }

  /**
   * A verified webhook: a final Sukses/Gagal closes an open row (or a
   * NEEDS_STAFF one, whose result is then delivered again); anything else —
   * Pending, a late Pending after Sukses, a duplicate — changes nothing.
   */
  async applyWebhook(webhook: ParsedSupplierWebhook): Promise<"applied" | "ignored" | "unknown"> {
    const result = webhook.result;
    if (!webhook.verified || !webhook.refId || !result) return "ignored";
    const repo = this.deps.dataSource.getRepository(SupplierPurchase);
    const row = await repo.findOneBy({ refId: webhook.refId });
    if (!row) return "unknown";
    if (result.outcome !== "SUCCESS" && result.outcome !== "FAILED") return "ignored";
    if (row.status === "SUCCESS" || row.status === "FAILED") {
      // settled already (most often by the purchase's own answer, which Digiflazz follows with a
      // webhook): nothing to write, and nothing to hand over unless that has not happened yet;
      // a purchase waiting for staff (NEEDS_STAFF) still takes the supplier's final word
      if (!row.resultDeliveredAt) await this.deliverResult(row.id);
      return "ignored";
    }
    const updated = await repo.update(
      { id: row.id, status: In([...OPEN_STATUSES, "NEEDS_STAFF"]) },
      {
        status: result.outcome,
        sn: result.sn,
        rc: result.rc,
        message: truncate(result.message, 255),
        price: result.price ?? row.price,
        supplierPayload: result.raw as object,
        lockToken: null,
        lockedUntil: null,
        nextCheckAt: null,
        lastError: null,
        resultDeliveredAt: null,
      },
    );
    await this.deliverResult(row.id);
    return updated.affected ? "applied" : "ignored";
  }

  /**
   * Hands a final result to the listener; on failure a delivery job retries
   * later (and the sweeper covers a lost job). Returns whether it was taken.
   */
  async deliverResult(purchaseId: string): Promise<boolean> {
    const repo = this.deps.dataSource.getRepository(SupplierPurchase);
    const row = await repo.findOneBy({ id: purchaseId });
    if (!row || !isFinal(row.status) || row.resultDeliveredAt) return true;
    // Claim the delivery (the lock columns are free once a row is final), so a webhook
    // and a worker finishing together hand the result over once, not twice.
    const token = newId();
    const now = new Date();
    const claimed = await repo
      .createQueryBuilder()
      .update(SupplierPurchase)
      .set({ lockToken: token, lockedUntil: new Date(now.getTime() + this.deps.config.leaseMs) })
      .where("id = :id AND status = :status AND result_delivered_at IS NULL", { id: row.id, status: row.status })
      .andWhere(new Brackets((w) => w.where("locked_until IS NULL").orWhere("locked_until < :now", { now })))
      .execute();
    if (!claimed.affected) return true; // someone else is delivering it right now (or it changed meanwhile)
    try {
      await this.deps.onResult({
        orderItemId: row.orderItemId,
        purchaseId: row.id,
        refId: row.refId,
        status: row.status as SupplierPurchaseResult["status"],
        sn: row.sn,
        message: row.message ?? row.lastError,
        supplierPayload: row.supplierPayload ?? null,
      });
    } catch (error) {
      await repo.update({ id: row.id, lockToken: token }, { lockToken: null, lockedUntil: null });
      this.deps.logger.warn("supplier result listener failed; will retry", { purchaseId, error: error instanceof Error ? error.message : String(error) });
      await this.enqueueDelivery(purchaseId).catch((e: Error) => this.logEnqueueFailure(purchaseId, e));
      return false;
    }
    await repo.update({ id: row.id, lockToken: token }, { resultDeliveredAt: new Date(), lockToken: null, lockedUntil: null });
    return true;
  }

  /**
   * The outbox sweeper: re-enqueues open rows whose job is overdue (lost with
   * Redis, or a worker died mid-request) and final results not yet taken.
   */
  async sweep(): Promise<{ requeued: number; redelivered: number }> {
    const repo = this.deps.dataSource.getRepository(SupplierPurchase);
    const now = new Date();
    const overdue = new Date(now.getTime() - this.deps.config.stuckAfterMs);
    const stuck = await repo
      .createQueryBuilder("p")
      .where("p.status IN (:...open)", { open: OPEN_STATUSES })
      .andWhere(new Brackets((w) => w.where("p.next_check_at IS NULL").orWhere("p.next_check_at < :overdue", { overdue })))
      .andWhere(new Brackets((w) => w.where("p.locked_until IS NULL").orWhere("p.locked_until < :now", { now })))
      .orderBy("p.next_check_at", "ASC")
      .limit(500)
      .getMany();
    let requeued = 0;
    for (const row of stuck) if (await this.enqueue(row.id, row.attempts)) requeued += 1;
    const undelivered = await repo.find({
      where: { status: In(FINAL_STATUSES), resultDeliveredAt: IsNull(), updatedAt: LessThan(overdue) },
      take: 500,
    });
    let redelivered = 0;
    for (const row of undelivered) if (await this.enqueueDelivery(row.id, 0)) redelivered += 1;
    if (requeued + redelivered > 0) this.deps.logger.info("supplier sweeper re-enqueued work", { requeued, redelivered });
    return { requeued, redelivered };
  }

  // --- staff operations (audited; GraphQL comes with the operations issue) ------

  /**
   * Retries a purchase. Open or NEEDS_STAFF: re-check now with the SAME ref_id
   * (refused once the first attempt is 85 days old: the supplier would buy
   * again). FAILED: the supplier said the ref_id is final and bought nothing,
   * so it is sent again under a NEW ref_id — call this only for an order item
   * that was not refunded. SUCCESS cannot be retried.
   */
  async retry(input: { purchaseId: string; actorId: string; ip?: string | null }): Promise<SupplierPurchase> {
    const saved = await this.deps.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(SupplierPurchase, { where: { id: input.purchaseId }, lock: { mode: "pessimistic_write" } });
      if (!row) throw notFound("Supplier purchase");
      const before = snapshot(row);
      const now = new Date();
      if (row.status === "SUCCESS") throw conflict("This purchase already succeeded");
      if (row.status === "FAILED") {
        const retries = Number(/R(\d+)$/.exec(row.refId)?.[1] ?? 0);
        Object.assign(row, {
          refId: `LPK${row.id}R${retries + 1}`,
          status: "QUEUED",
          attempts: 0,
          firstAttemptAt: null,
          giveUpAt: null,
          lastRequestAt: null,
          sn: null,
          rc: null,
          message: null,
          price: null,
          lastError: null,
          resultDeliveredAt: null,
        });
      } else {
        if (row.firstAttemptAt && now.getTime() - row.firstAttemptAt.getTime() >= HARD_RECHECK_LIMIT_MS) {
          throw conflict("The first attempt is 85 days old: re-sending this ref_id could buy again. Resolve it by hand.");
        }
        if (row.status === "NEEDS_STAFF") row.status = row.firstAttemptAt ? "PENDING" : "QUEUED";
        if (row.firstAttemptAt) {
          row.giveUpAt = new Date(Math.min(now.getTime() + this.deps.config.maxAgeMs, row.firstAttemptAt.getTime() + HARD_RECHECK_LIMIT_MS));
        }
        row.lastRequestAt = null; // staff asked for it now
        row.resultDeliveredAt = null;
      }
      Object.assign(row, { lockToken: null, lockedUntil: null, nextCheckAt: now });
      await manager.save(row);
      await this.deps.audit.record(manager, { actorId: input.actorId, action: "supplier_purchase.retry", targetType: "supplier_purchase", targetId: row.id, before, after: snapshot(row), ip: input.ip ?? null });
      // staff asked for it now: a re-check already waiting on its back-off runs at once
      await afterCommit(manager, () => this.enqueueNow(row.id, row.attempts).catch((error: Error) => this.logEnqueueFailure(row.id, error)));
      return row;
    });
    return saved;
  }

  /** Staff settle a purchase by hand: SUCCESS with the SN they obtained, or FAILED (the listener then refunds). */
  async resolveManually(input: { purchaseId: string; actorId: string; outcome: "SUCCESS" | "FAILED"; sn?: string; reason: string; ip?: string | null }): Promise<SupplierPurchase> {
    const sn = input.sn?.trim() ?? "";
    if (input.outcome === "SUCCESS" && (sn === "" || sn.length > 255)) throw badInput("Enter the SN (1–255 characters) to mark a purchase successful", { field: "sn" });
    const reason = input.reason.trim();
    if (reason === "" || reason.length > 255) throw badInput("Give a reason (1–255 characters)", { field: "reason" });
    const saved = await this.deps.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(SupplierPurchase, { where: { id: input.purchaseId }, lock: { mode: "pessimistic_write" } });
      if (!row) throw notFound("Supplier purchase");
      if (row.status === "SUCCESS" || row.status === "FAILED") throw conflict(`This purchase is already ${row.status}`);
      const before = snapshot(row);
      Object.assign(row, {
        status: input.outcome,
        sn: input.outcome === "SUCCESS" ? sn : null,
        message: `resolved by staff: ${reason}`.slice(0, 255),
        lockToken: null,
        lockedUntil: null,
        nextCheckAt: null,
        resultDeliveredAt: null,
      });
      await manager.save(row);
      await this.deps.audit.record(manager, { actorId: input.actorId, action: "supplier_purchase.resolve", targetType: "supplier_purchase", targetId: row.id, before, after: snapshot(row), ip: input.ip ?? null });
      return row;
    });
    await this.deliverResult(saved.id);
    return saved;
  }

  // --- queue ----------------------------------------------------------------------

  /**
   * Adds the drive job for the row's current step. The job id is derived from
   * the purchase and its attempt count, so it cannot be queued twice; a
   * finished or failed job with that id is replaced (the sweeper's case).
   */
  async enqueue(purchaseId: string, attempts: number, delayMs = 0): Promise<boolean> {
    return this.addOnce(`drive:${purchaseId}:${attempts}`, { kind: "drive", purchaseId }, { delay: delayMs });
  }

  /** Like `enqueue`, but when the step's job is waiting on its delay (a re-check back-off) it is promoted to run now. */
  async enqueueNow(purchaseId: string, attempts: number): Promise<boolean> {
    return this.addOnce(`drive:${purchaseId}:${attempts}`, { kind: "drive", purchaseId }, { delay: 0 }, true);
  }

  private enqueueDelivery(purchaseId: string, delayMs = this.deps.config.resultRetryMs): Promise<boolean> {
    return this.addOnce(`deliver:${purchaseId}`, { kind: "deliver", purchaseId }, {
      delay: delayMs,
      attempts: 10,
      backoff: { type: "exponential", delay: this.deps.config.resultRetryMs },
    });
  }

  private async addOnce(jobId: string, data: SupplierJob, options: Queue.JobOptions, promoteDelayed = false): Promise<boolean> {
    const { queue } = this.deps;
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === "delayed" && promoteDelayed) {
        // it may have left the delayed set meanwhile (then it runs now anyway)
        return existing.promote().then(() => true, () => false);
      }
      if (state !== "completed" && state !== "failed") return false;
      await existing.remove();
    }
    await queue.add(data, { removeOnComplete: true, removeOnFail: 1000, ...options, jobId });
    return true;
  }

  private logEnqueueFailure(purchaseId: string, error: Error): void {
    this.deps.logger.warn("could not enqueue a supplier job; the sweeper will", { purchaseId, error: error.message });
  }
}

function validate(input: PurchaseRequestInput): void {
  if (!ULID.test(input.orderItemId)) throw badInput("orderItemId must be a ULID", { field: "orderItemId" });
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.sku)) throw badInput("sku must be 1–64 letters, digits, _ . -", { field: "sku" });
  if (!/^[A-Za-z0-9.,#_-]{1,64}$/.test(input.customerNo)) throw badInput("customerNo must be 1–64 letters, digits or . , # _ -", { field: "customerNo" });
  if (!Number.isSafeInteger(input.maxPrice) || input.maxPrice <= 0) throw badInput("maxPrice must be a positive whole number of rupiah", { field: "maxPrice" });
}

const truncate = (text: string, length: number) => (text.length > length ? text.slice(0, length) : text);

function snapshot(row: SupplierPurchase): Record<string, unknown> {
  return { status: row.status, refId: row.refId, sn: row.sn, message: row.message, giveUpAt: row.giveUpAt?.toISOString() ?? null };
}
