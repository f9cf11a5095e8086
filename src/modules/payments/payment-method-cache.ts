import type { EventBus } from "../../core/event-bus";
import type { PaymentMethod } from "./payment-method.entity";

const CHANGED = "PAYMENT_METHODS_CHANGED";
/** The longest a copy lives if a change announcement is lost (Redis outage). */
const MAX_AGE_MS = 30_000;

/**
 * The payment methods (a handful of rows read by every checkout), kept in
 * this process. A change is announced on the event bus after its commit and
 * every process drops its copy; the next read loads them again.
 */
export class PaymentMethodCache {
  private copy: { until: number; methods: Promise<PaymentMethod[]> } | null = null;

  constructor(
    private readonly load: () => Promise<PaymentMethod[]>,
    private readonly eventBus: EventBus,
  ) {
    eventBus.listen(CHANGED, () => {
      this.copy = null;
    });
  }

  /** Every method, in display order (sort, code); callers must not change them. */
  all(): Promise<PaymentMethod[]> {
    if (!this.copy || this.copy.until < Date.now()) {
      const methods = this.load();
      this.copy = { until: Date.now() + MAX_AGE_MS, methods };
      methods.catch(() => {
        if (this.copy?.methods === methods) this.copy = null; // a failed load is not kept
      });
    }
    return this.copy.methods;
  }

  /**
   * The method with this code when it is active; one that is missing or
   * inactive in the copy is looked up again, so a method just added or
   * switched on (in any process) is usable at once.
   */
  async active(code: string): Promise<PaymentMethod | null> {
    const cached = (await this.all()).find((method) => method.code === code);
    if (cached?.active) return cached;
    this.copy = null;
    return (await this.all()).find((method) => method.code === code && method.active) ?? null;
  }

  /** Call once the change has committed: this process drops its copy at once, the others when they hear it. */
  changed(): void {
    this.copy = null;
    this.eventBus.publish(CHANGED, undefined, true);
  }
}
