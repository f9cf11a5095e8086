import type { WebhookEndpoint } from "../../core/webhook-intake";
import type { PaymentService } from "./payments.service";

/** POST /webhooks/<gateway>[/<sub-path>]: verify, store, answer; the work happens in the queue. */
export function paymentWebhooks(payments: PaymentService): WebhookEndpoint {
  return {
    // e.g. /webhooks/digiflazz belongs to another module
    accepts: (provider) => payments.handlesGateway(provider.toUpperCase()),
    receive: (request) => payments.receiveCallback(request.provider.toUpperCase(), request),
  };
}
