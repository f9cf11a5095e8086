import type { Revocation, UserViewer } from "../../core/context";

const MAX_ENTRIES = 20_000;

/** A verified credential's viewer; for an API token also its requests-per-minute budget. */
export interface CachedViewer {
  viewer: UserViewer;
  budgetPerMinute?: number;
}

/**
 * Verified viewers (by session id, or by API token hash), kept for a few
 * seconds so a signed-in request costs no SQL. Logout, token revocation,
 * suspension and role/level/budget changes drop entries at once in the
 * process that made them and, over Redis, in every other; the TTL bounds
 * staleness if a message is lost. `put` refuses a value read while a drop
 * happened, so a lookup racing a revocation cannot bring the revoked
 * credential back.
 */
export class ViewerCache {
  private readonly entries = new Map<string, CachedViewer & { until: number }>();
  private generation = 0;
  private listeners = 0;

  constructor(private readonly ttlMs: number) {}

  /** Caching is on while something relays other processes' drops; returns the detach (idempotent). */
  attach(): () => void {
    this.listeners += 1;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.listeners -= 1;
      this.generation += 1;
      if (this.listeners === 0) this.entries.clear();
    };
  }

  get(key: string): CachedViewer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** Take before reading the database; hand it to `put`. */
  stamp(): number {
    return this.generation;
  }

  put(key: string, value: CachedViewer, stamp: number): void {
    if (this.ttlMs === 0 || this.listeners === 0 || stamp !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { ...value, until: Date.now() + this.ttlMs });
  }

  drop(change: Revocation): void {
    this.generation += 1;
    if (change.sessionId !== undefined) this.entries.delete(change.sessionId);
    if (change.userId === undefined && change.tokenId === undefined) return;
    for (const [key, { viewer }] of this.entries) {
      if (viewer.userId === change.userId || (viewer.via === "api-token" && viewer.tokenId === change.tokenId)) this.entries.delete(key);
    }
  }
}
