import type { EventBus } from "../../core/event-bus";
import type { Revocation, RevocationFeed } from "../../core/context";

const TOPIC = "IDENTITY_REVOKED";

/**
 * Tells every API process that a credential stopped working (Redis pub/sub), so
 * open WebSocket connections that authenticated with it are closed. HTTP needs
 * no message: the authenticator checks the database on every request.
 */
export class Revocations {
  constructor(private readonly eventBus: EventBus) {}

  publish(revocation: Revocation): void {
    this.eventBus.publish(TOPIC, undefined, revocation);
  }

  readonly feed: RevocationFeed = (listener) => {
    const iterator = this.eventBus.subscribe<Revocation>(TOPIC)[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        listener(next.value);
      }
    })().catch(() => undefined);
    return () => void iterator.return?.();
  };
}
