import type { Logger } from "./logger";

/**
 * A warning anyone on the internet can make us repeat (a forged callback):
 * the first of each kind in an interval is logged in full at once, the rest
 * are counted and logged as one line when the interval ends. A flood then
 * costs one line per kind and interval rather than a write per request, and
 * cannot fill the log's disk; every such request is stored in its table anyway.
 */
export class LogTally {
  private readonly counts = new Map<string, { message: string; fields: Record<string, unknown>; more: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 10_000,
  ) {}

  /** `kind`: the few fields counted together (a gateway, an outcome; never request data); `details` go on the first line only. */
  warn(message: string, kind: Record<string, unknown>, details: Record<string, unknown> = {}): void {
    const key = JSON.stringify([message, kind]);
    const seen = this.counts.get(key);
    if (seen) {
      seen.more++;
      return;
    }
    this.counts.set(key, { message, fields: kind, more: 0 });
    this.logger.warn(message, { ...kind, ...details });
    this.timer ??= setTimeout(() => this.flush(), this.everyMs).unref();
  }

  /** Logs what was counted and starts a new interval. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const { message, fields, more } of this.counts.values()) {
      if (more > 0) this.logger.warn(`${message} (${more} more like it in the last ${this.everyMs / 1000} s)`, { ...fields, more });
    }
    this.counts.clear();
  }
}
