import type { EventBus } from "../../core/event-bus";
import type { Revocation, RevocationFeed } from "../../core/context";
import type { ViewerCache } from "./viewer-cache";

const REVOKED = "IDENTITY_REVOKED";
const CHANGED = "IDENTITY_CHANGED";

/**
 * Tells every API process that a credential stopped working (Redis pub/sub):
 * open WebSocket connections that authenticated with it are closed and cached
 * viewers are dropped. `changed` (roles, level, customer type, status) drops
 * cached viewers only. The publishing process drops its own at once, before
 * Redis echoes the message.
 */
export class Revocations {
  constructor(
    private readonly eventBus: EventBus,
    private readonly viewers: ViewerCache,
  ) {}

  publish(revocation: Revocation): void {
    this.viewers.drop(revocation);
    this.eventBus.publish(REVOKED, undefined, revocation);
  }

  changed(userId: string): void {
    this.viewers.drop({ userId });
    this.eventBus.publish(CHANGED, undefined, { userId });
  }

  /** The viewer cache fills only while a feed is subscribed, since only then does it hear other processes. */
  readonly feed: RevocationFeed = (listener) => {
    const detach = this.viewers.attach();
    const stopRevoked = this.eventBus.listen<Revocation>(REVOKED, (revocation) => {
      this.viewers.drop(revocation);
      listener(revocation);
    }, detach);
    const stopChanged = this.eventBus.listen<Revocation>(CHANGED, (change) => this.viewers.drop(change), detach);
    return () => {
      stopRevoked();
      stopChanged();
      detach();
    };
  };
}
