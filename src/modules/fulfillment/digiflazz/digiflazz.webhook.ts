import type { DataSource } from "typeorm";
import { batchedInsert } from "../../../core/batched-insert";
import { LogTally } from "../../../core/log-tally";
import { insertRows } from "../../../core/row-insert";
import type { Logger } from "../../../core/logger";
import type { WebhookAnswer, WebhookEndpoint, WebhookRequest } from "../../../core/webhook-intake";
import { SupplierCallback, type SupplierCallbackOutcome } from "../supplier-callback.entity";
import type { Supplier } from "../supplier";
import type { SupplierPurchaseService } from "../supplier-purchase.service";

/**
 * POST /webhooks/digiflazz. Every delivery is stored as received
 * (`supplier_callbacks`) before it is answered or acted on, its signature
 * checked over those exact bytes. A wrong one gets 401 and changes nothing;
 * pings, duplicates, unknown ref_ids and late Pendings get 200 and change
 * nothing. The refused and the unknown are settled as they are stored.
 */
export function digiflazzWebhook(supplier: Supplier, purchases: SupplierPurchaseService, dataSource: DataSource, logger: Logger): WebhookEndpoint {
  const callbacks = dataSource.getRepository(SupplierCallback);
  // anyone can send one: a flood is logged as counts, and those that change nothing are stored several to a statement
  const refusals = new LogTally(logger);
  const settledAtIntake = batchedInsert(dataSource, SupplierCallback);
  const receive = async ({ headers, rawBody, ip }: WebhookRequest): Promise<WebhookAnswer> => {
    const webhook = supplier.parseWebhook({ headers, rawBody });
    // a signed result naming no purchase of ours changes nothing: settled as it is stored
    const unknown = webhook.verified && !!webhook.refId && !!webhook.result && !(await purchases.knows(webhook.refId));
    const settledNow: SupplierCallbackOutcome | null = !webhook.verified ? "rejected" : unknown ? "unknown" : null;
    const row = Object.assign(new SupplierCallback(), {
      supplier: supplier.code,
      event: webhook.event?.slice(0, 20) ?? null,
      refId: webhook.refId?.slice(0, 64) ?? null,
      headers: headers as Record<string, unknown>,
      rawBody: rawBody.toString("utf8"),
      ip: ip.slice(0, 64) || null,
      verified: webhook.verified,
      reason: webhook.reason?.slice(0, 255) ?? null,
      claimed: webhook.result?.outcome ?? null,
      outcome: settledNow,
    });
    try {
      await (settledNow ? settledAtIntake.add(row) : insertRows(dataSource.manager, SupplierCallback, row));
    } catch (error) {
      // not stored: a 5xx makes Digiflazz deliver again
      logger.error("digiflazz webhook not stored", { refId: webhook.refId, error: error instanceof Error ? error.message : String(error) });
      return { status: 500, body: { ok: false } };
    }
    const settle = (outcome: SupplierCallbackOutcome) =>
      callbacks.update({ id: row.id }, { outcome }).catch((error: Error) => logger.warn("digiflazz webhook outcome not recorded", { callbackId: row.id, error: error.message }));
    if (!webhook.verified) {
      refusals.warn("digiflazz webhook refused", {}, { reason: webhook.reason, ip, bytes: rawBody.length, callbackId: row.id });
      return { status: 401, body: { ok: false, error: "invalid signature" } };
    }
    if (unknown) {
      refusals.warn("digiflazz webhook for an unknown ref_id", {}, { refId: webhook.refId, callbackId: row.id });
      return { status: 200, body: { ok: true, result: "unknown" } };
    }
    if (webhook.ping) {
      await settle("ping");
      return { status: 200, body: { ok: true, ping: true } };
    }
    try {
      const outcome = await purchases.applyWebhook(webhook);
      await settle(outcome);
      logger.info("digiflazz webhook", { event: webhook.event, refId: webhook.refId, outcome: webhook.result?.outcome, applied: outcome, callbackId: row.id });
      return { status: 200, body: { ok: true, result: outcome } };
    } catch (error) {
      // a 5xx makes Digiflazz deliver again; re-checks cover it too
      await settle("error");
      logger.error("digiflazz webhook failed", { refId: webhook.refId, error: error instanceof Error ? error.message : String(error) });
      return { status: 500, body: { ok: false } };
    }
  };
  return { accepts: (provider, subPath) => provider === "digiflazz" && subPath === "", receive };
}
