import { ulid } from "ulid";
import { graphqlBody } from "../lib/bench";
import type { Outcome } from "../lib/driver";
import type { BenchStore } from "../lib/store";
import type { Row } from "../lib/table";

/** The wallet checkout of one item (the game variant of store.checkoutProduct). */
export const CHECKOUT = `mutation ($input: CheckoutInputType!) { checkout(input: $input) { alreadyPaid order { id total } } }`;

export function checkoutBody(variantId: string): string {
  return graphqlBody(CHECKOUT, { input: { items: [{ variantId, quantity: 1, inputs: { userId: "123456" } }], paymentMethod: "WALLET", idempotencyKey: ulid() } });
}

/** Paid from the wallet is ok; a short balance is an expected refusal; anything else is an error. */
export function checkoutOutcome(status: number, body: string): Outcome {
  if (status === 200 && body.includes('"alreadyPaid":true') && !body.includes('"errors"')) return "ok";
  if (body.includes('"INSUFFICIENT_BALANCE"')) return "expected:INSUFFICIENT_BALANCE";
  return `error:${/"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP_${status}`}`;
}

/** The invariant checker's verdict as a row; a violation also makes the run exit non-zero. */
export async function ledgerRow(scenario: string, store: BenchStore, onViolation: (count: number) => void): Promise<Row> {
  const { failed, output } = await store.checkLedger();
  if (failed > 0) onViolation(failed);
  const violated = output.split("\n").filter((line) => line.startsWith("FAIL"));
  return {
    scenario,
    measure: "invariant checker (check:ledger) after",
    load: "read-only",
    errors: String(failed),
    target: "0 violations",
    verdict: failed === 0 ? "PASS" : "FAILED",
    note: failed === 0 ? "all invariants hold" : violated.join("; "),
  };
}
