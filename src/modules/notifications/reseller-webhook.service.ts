import { randomBytes } from "node:crypto";
import { LessThanOrEqual, type DataSource, type EntityManager, type FindOptionsWhere } from "typeorm";
import type { Queue } from "bull";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { newId } from "../../core/ids";
import { afterCommit } from "../../core/after-commit";
import { hmacHex } from "../../core/crypto";
import { badInput, conflict, forbidden, notFound } from "../../core/errors";
import { httpRequest } from "../../core/http-client";
import type { Logger } from "../../core/logger";
import { idPage, type Page } from "../../core/paging";
import type { SecretBox } from "../../core/secret-box";
import { CustomerType, User } from "../identity/user.entity";
import type { ResellerWebhookConfig } from "./reseller-webhook.config";
import { ResellerWebhookEndpoint } from "./reseller-webhook-endpoint.entity";
import { WebhookDelivery, WebhookDeliveryStatus } from "./reseller-webhook-delivery.entity";
import { assertPublicDestination, checkWebhookUrl } from "./reseller-webhook-url";

export const RESELLER_WEBHOOK_QUEUE = "reseller-webhooks";

/** Bull job data: the delivery id is also the job id, so a delivery is queued at most once at a time. */
export interface DeliveryJob {
  deliveryId: string;
}

/**
 * What the ordering module sends with event "order.updated" on every status
 * change of a reseller's order (plain JSON; `at` is ISO 8601, `sn` and
 * `message` may be null).
 */
export interface OrderUpdatedPayload {
  orderId: string;
  invoiceNumber: string;
  status: string;
  sn: string | null;
  message: string | null;
  at: string;
}

export interface EnqueueInput {
  userId: string;
  event: string;
  payload: Record<string, unknown>;
}

export type AttemptOutcome = "DELIVERED" | "RETRY" | "FAILED" | "SKIPPED";

const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const newSecret = () => `whsec_${randomBytes(32).toString("hex")}`;

/** Reseller webhooks: endpoints with a sealed signing secret, and a delivery log that Bull works through. */
export class ResellerWebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: Queue<DeliveryJob>,
    private readonly box: SecretBox,
    private readonly config: ResellerWebhookConfig,
    private readonly logger: Logger,
  ) {}

  endpoint(userId: string): Promise<ResellerWebhookEndpoint | null> {
    return this.dataSource.getRepository(ResellerWebhookEndpoint).findOneBy({ userId });
  }

  /**
   * Sets (or changes) the reseller's URL. The first time, a signing secret is
   * made and returned — the only time it is shown; later calls keep the secret
   * and return null for it.
   */
  async setEndpoint(userId: string, rawUrl: string): Promise<{ endpoint: ResellerWebhookEndpoint; secret: string | null }> {
    const url = checkWebhookUrl(rawUrl, this.config.allowPrivateHosts);
    return this.dataSource.transaction(async (manager) => {
      await this.assertReseller(manager, userId);
      // One upsert, so parallel first calls cannot both create (nor deadlock on gap locks).
      // The row keeps the id of whichever insert created it: ours means the secret is ours to show.
      const secret = newSecret();
      const id = newId();
      await manager
        .createQueryBuilder()
        .insert()
        .into(ResellerWebhookEndpoint)
        .values({ id, userId, url, secretSealed: this.box.seal(secret), secretRotatedAt: new Date() })
        .orUpdate(["url"], ["user_id"])
        .execute();
      const endpoint = await manager.findOneByOrFail(ResellerWebhookEndpoint, { userId });
      return { endpoint, secret: endpoint.id === id ? secret : null };
    });
  }

  /** A new signing secret, returned once; deliveries from now on are signed with it. */
  async rotateSecret(userId: string): Promise<string> {
    const secret = newSecret();
    const result = await this.dataSource
      .getRepository(ResellerWebhookEndpoint)
      .update({ userId }, { secretSealed: this.box.seal(secret), secretRotatedAt: new Date() });
    if (!result.affected) throw notFound("Webhook endpoint");
    return secret;
  }

  /**
   * Records a delivery inside the caller's transaction and queues it after the
   * commit. Returns the delivery id, or null when the user has no endpoint
   * (nothing to send). Call it for every status change of a reseller's order
   * with event "order.updated" and an OrderUpdatedPayload.
   */
  async enqueue(manager: EntityManager, input: EnqueueInput): Promise<string | null> {
    if (!EVENT_NAME.test(input.event) || input.event.length > 60) throw badInput(`Invalid webhook event name "${input.event}"`);
    if (!(await this.hasEndpoint(manager, input.userId))) return null;
    const id = newId();
    await manager.insert(WebhookDelivery, {
      id,
      userId: input.userId,
      event: input.event,
      payload: input.payload,
      status: WebhookDeliveryStatus.PENDING,
      attempts: 0,
      nextAttemptAt: new Date(),
    } as QueryDeepPartialEntity<WebhookDelivery>);
    await afterCommit(manager, () => this.schedule(id, 0, this.config.maxAttempts));
    return id;
  }

  /** Whether the user has an endpoint; remembered for the rest of the transaction (an order changes status several times in one). */
  private async hasEndpoint(manager: EntityManager, userId: string): Promise<boolean> {
    const memo = (manager.queryRunner?.data ?? {}) as Record<string, boolean | undefined>;
    const key = `resellerWebhookEndpoint:${userId}`;
    memo[key] ??= (await manager.countBy(ResellerWebhookEndpoint, { userId })) > 0;
    return memo[key]!;
  }

  /** A user's deliveries, newest first (userId null: every reseller's, for staff). */
  async deliveries(
    userId: string | null,
    options: { first: number; after?: string | null; status?: WebhookDeliveryStatus | null },
  ): Promise<Page<WebhookDelivery>> {
    const where: FindOptionsWhere<WebhookDelivery> = {};
    if (userId) where.userId = userId;
    if (options.status) where.status = options.status;
    return idPage(this.dataSource.getRepository(WebhookDelivery), where, options.first, options.after);
  }

  /**
   * Sends a finished delivery again (same id, same body, a fresh round of
   * attempts). Only the owner may resend (userId null: staff, any delivery).
   */
  async resend(userId: string | null, deliveryId: string): Promise<WebhookDelivery> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(WebhookDelivery, { where: { id: deliveryId }, lock: { mode: "pessimistic_write" } });
      if (!row || (userId !== null && row.userId !== userId)) throw notFound("Webhook delivery");
      if (row.status === WebhookDeliveryStatus.PENDING) throw conflict("This delivery is still being sent");
      await manager.update(
        WebhookDelivery,
        { id: row.id },
        { status: WebhookDeliveryStatus.PENDING, attempts: 0, nextAttemptAt: new Date(), deliveredAt: null },
      );
      await afterCommit(manager, () => this.schedule(row.id, 0, this.config.maxAttempts));
      return manager.findOneByOrFail(WebhookDelivery, { id: row.id });
    });
  }

  /**
   * One POST of a delivery (the processor's work). `attemptInJob` is Bull's
   * attempt number within the current job, for the next_attempt_at it records.
   * Safe to run twice: only a PENDING row is sent.
   */
  async attempt(deliveryId: string, attemptInJob: number): Promise<AttemptOutcome> {
    const deliveries = this.dataSource.getRepository(WebhookDelivery);
    const row = await deliveries.findOneBy({ id: deliveryId });
    if (!row || row.status !== WebhookDeliveryStatus.PENDING) return "SKIPPED";
    const endpoint = await this.endpoint(row.userId);
    let status: number | null = null;
    let error: string | null = null;
    if (!endpoint) {
      error = "no webhook endpoint";
    } else {
      try {
        if (!this.config.allowPrivateHosts) await assertPublicDestination(endpoint.url);
        const body = deliveryBody(row);
        const answer = await httpRequest(endpoint.url, {
          method: "POST",
          headers: signedHeaders(row, this.box.open(endpoint.secretSealed), body),
          body,
          timeoutMs: this.config.timeoutMs,
        }); // a redirect comes back as its 3xx: it is not a delivery, and must not lead the store elsewhere
        status = answer.status;
        if (status < 200 || status > 299) error = `HTTP ${status}${answer.text ? `: ${answer.text.slice(0, 200)}` : ""}`;
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
    }
    const attempts = row.attempts + 1;
    const outcome: AttemptOutcome = error === null ? "DELIVERED" : attempts >= this.config.maxAttempts || !endpoint ? "FAILED" : "RETRY";
    const now = new Date();
    await deliveries.update(
      { id: row.id, status: WebhookDeliveryStatus.PENDING },
      {
        attempts,
        lastStatus: status,
        lastError: error?.slice(0, 500) ?? null,
        status: outcome === "RETRY" ? WebhookDeliveryStatus.PENDING : (outcome as WebhookDeliveryStatus),
        deliveredAt: outcome === "DELIVERED" ? now : null,
        nextAttemptAt: outcome === "RETRY" ? new Date(now.getTime() + backoffMs(this.config.backoffBaseMs, attemptInJob)) : null,
      },
    );
    if (outcome !== "DELIVERED") this.logger.info("reseller webhook not delivered", { deliveryId, attempts, outcome, error });
    return outcome;
  }

  /**
   * Re-enqueues PENDING deliveries whose Bull job is gone (Redis lost it), once
   * they are `sweepGraceMs` overdue. Returns how many were re-enqueued.
   */
  async sweep(now = new Date()): Promise<number> {
    const overdue = await this.dataSource.getRepository(WebhookDelivery).find({
      where: { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: LessThanOrEqual(new Date(now.getTime() - this.config.sweepGraceMs)) },
      order: { nextAttemptAt: "ASC" },
      take: 500,
    });
    let requeued = 0;
    for (const row of overdue) {
      if (await this.queue.getJob(row.id)) continue;
      await this.schedule(row.id, 0, Math.max(1, this.config.maxAttempts - row.attempts));
      requeued += 1;
    }
    if (requeued > 0) this.logger.warn("re-enqueued reseller webhook deliveries whose job was missing", { requeued });
    return requeued;
  }

  private async schedule(deliveryId: string, delayMs: number, attempts: number): Promise<void> {
    await this.queue.add(
      { deliveryId },
      {
        jobId: deliveryId,
        delay: delayMs,
        attempts,
        backoff: { type: "exponential", delay: this.config.backoffBaseMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /** The identity module owns users; this one read is the reseller check until it offers a service call. */
  private async assertReseller(manager: EntityManager, userId: string): Promise<void> {
    const user = await manager.findOne(User, { where: { id: userId }, select: { id: true, customerType: true } });
    if (user?.customerType !== CustomerType.RESELLER) throw forbidden("Webhooks are for reseller accounts");
  }
}

/** Bull's exponential backoff: the wait after the n-th failed attempt of a job. */
export const backoffMs = (base: number, attemptInJob: number) => Math.round((2 ** attemptInJob - 1) * base);

/** The POSTed body: stable across retries and resends, so its signature is too. */
export function deliveryBody(row: Pick<WebhookDelivery, "id" | "event" | "payload" | "createdAt">): string {
  return JSON.stringify({ id: row.id, event: row.event, createdAt: row.createdAt.toISOString(), data: row.payload });
}

export function signedHeaders(row: Pick<WebhookDelivery, "id" | "event">, secret: string, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Lapak-Webhooks/1",
    "x-lapak-delivery": row.id,
    "x-lapak-event": row.event,
    "x-lapak-timestamp": String(Math.floor(Date.now() / 1000)),
    "x-lapak-signature": `sha256=${hmacHex("sha256", secret, body)}`,
  };
}
