interface Waiting<T> {
  item: T;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Hands items whose senders can wait a few ms to `write` several at a time:
 * an item waits up to `windowMs` for others (or until `maxItems` are
 * waiting), and its promise settles when the write that carried it has. Under
 * a flood that is one round trip per window instead of one per item (each
 * costs both ends a round of system calls). A batch that fails is written
 * again item by item, so one bad item fails only its own sender.
 */
export class Batcher<T> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly options: { windowMs: number; maxItems: number },
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, done: resolve, failed: reject });
      if (this.waiting.length >= this.options.maxItems) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs);
    });
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      await this.write(batch.map((entry) => entry.item));
      for (const entry of batch) entry.done();
    } catch (error) {
      if (batch.length === 1) return batch[0].failed(error);
      await Promise.all(batch.map((entry) => this.write([entry.item]).then(entry.done, entry.failed)));
    }
  }
}
