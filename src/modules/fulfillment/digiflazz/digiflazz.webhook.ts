import { Router, type Request, type Response } from "express";
import type { Logger } from "../../../core/logger";
import type { Supplier } from "../supplier";
import type { SupplierPurchaseService } from "../supplier-purchase.service";

/**
 * POST /webhooks/digiflazz (mounted on the webhooks Router, which keeps the
 * raw body as a Buffer). The signature is checked over those exact bytes; a
 * wrong one gets 401 and changes nothing. Pings, duplicates, unknown ref_ids
 * and late Pendings are acknowledged with 200 and change nothing.
 */
export function digiflazzWebhookRouter(supplier: Supplier, purchases: SupplierPurchaseService, logger: Logger): Router {
  const router = Router();
  router.post("/digiflazz", async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const webhook = supplier.parseWebhook({ headers: req.headers, rawBody });
    if (!webhook.verified) {
      logger.warn("digiflazz webhook refused", { reason: webhook.reason, ip: req.ip, bytes: rawBody.length });
      return void res.status(401).json({ ok: false, error: "invalid signature" });
    }
    if (webhook.ping) return void res.json({ ok: true, ping: true });
    try {
      const outcome = await purchases.applyWebhook(webhook);
      logger.info("digiflazz webhook", { event: webhook.event, refId: webhook.refId, outcome: webhook.result?.outcome, applied: outcome });
      res.json({ ok: true, result: outcome });
    } catch (error) {
      // a 5xx makes Digiflazz deliver again; re-checks cover it too
      logger.error("digiflazz webhook failed", { refId: webhook.refId, error: error instanceof Error ? error.message : String(error) });
      res.status(500).json({ ok: false });
    }
  });
  return router;
}
