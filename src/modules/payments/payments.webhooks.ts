import { Router, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "../../core/logger";
import type { PaymentService } from "./payments.service";

/** POST /webhooks/<gateway>[/<sub-path>]: verify, store, answer; the work happens in the queue. */
export function paymentWebhooks(payments: PaymentService, logger: Logger): Router {
  const router = Router();
  const handle = async (req: Request, res: Response, next: NextFunction) => {
    const gateway = String(req.params.gateway).toUpperCase();
    if (!payments.handlesGateway(gateway)) return next(); // e.g. /webhooks/digiflazz belongs to another module
    const rest = req.params.rest as string[] | string | undefined;
    const subPath = rest ? `/${Array.isArray(rest) ? rest.join("/") : rest}` : "";
    try {
      const answer = await payments.receiveCallback(gateway, {
        subPath,
        headers: req.headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        ip: req.ip ?? req.socket.remoteAddress ?? "",
      });
      res.status(answer.status).json(answer.body);
    } catch (error) {
      // Not stored: answer 500 so the gateway retries.
      logger.error("payment callback intake failed", { gateway, error: (error as Error).message });
      res.status(500).json({ success: false });
    }
  };
  router.post("/:gateway", handle);
  router.post("/:gateway/*rest", handle);
  return router;
}
