/** Throughput and latency percentiles of one measurement. */
export interface Summary {
  /** answers received within the measured window, per second */
  throughput: number;
  /** answers counted (in the window or just after it) */
  requests: number;
  /** answers whose outcome was "ok" */
  ok: number;
  /** everything that was not "ok" (expected refusals included; see outcomes) */
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  seconds: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)];
}

/** Latencies in ms (any order); `completed` answers arrived inside `seconds`. */
export function summarise(latencies: number[], completed: number, ok: number, seconds: number): Summary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    throughput: completed / seconds,
    requests: latencies.length,
    ok,
    errors: latencies.length - ok,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
    seconds,
  };
}
