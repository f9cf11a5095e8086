import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { FeeBearer } from "../../src/modules/payments/payment-method.entity";
import type { PaymentMethodInput } from "../../src/modules/payments/payments.service";

/** Creates a payment method with a unique code (tests share one database). */
export async function createMethod(store: RunningStore, overrides: Partial<PaymentMethodInput> = {}): Promise<string> {
  const code = `T_${ulid().slice(-10)}`;
  await store.composition.services.payments.saveMethod(
    null,
    {
      code,
      gateway: "TRIPAY",
      channel: "QRIS",
      displayName: "QRIS (test)",
      feeFlat: 0,
      feePercentBp: 0,
      feeBearer: FeeBearer.MERCHANT,
      minAmount: 1_000,
      maxAmount: 5_000_000,
      active: true,
      sort: 0,
      ...overrides,
    },
    null,
  );
  return code;
}

export const sim = (store: RunningStore) => `${store.sandboxUrl}/tripay/__sim`;

export async function simPost(store: RunningStore, path: string, body: unknown = {}): Promise<any> {
  const response = await fetch(`${sim(store)}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return response.json();
}

export async function resetSim(store: RunningStore): Promise<void> {
  await fetch(`${sim(store)}/reset`, { method: "POST" });
}
