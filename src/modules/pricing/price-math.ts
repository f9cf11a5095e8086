/**
 * Sell price from cost by a markup rule, in whole rupiah with BigInt so no
 * float ever touches money: cost + ceil(cost * percentBp / 10000) + fixed,
 * raised to cost when the markup is negative, then rounded UP to the step.
 */
export function markupPrice(cost: number, rule: { percentBp: number; fixedAmount: number }, step: number): number {
  const c = BigInt(cost);
  const raw = c + ceilDiv(c * BigInt(rule.percentBp), 10_000n) + BigInt(rule.fixedAmount);
  return roundUp(raw < c ? c : raw, BigInt(step));
}

/** A pinned price still never sells below cost. */
export function effectivePrice(cost: number, pinned: number | null, computed: number): number {
  if (pinned === null) return computed;
  return Math.max(pinned, cost);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q; // BigInt division truncates toward zero
}

function roundUp(value: bigint, step: bigint): number {
  const rounded = ceilDiv(value, step) * step;
  const result = Number(rounded);
  if (!Number.isSafeInteger(result)) throw new RangeError(`price out of range: ${rounded}`);
  return result;
}
