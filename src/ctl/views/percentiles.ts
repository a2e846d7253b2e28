// Percentiles by the nearest-rank method: the value reported is always one that was
// observed, which reads better for durations than an interpolated one.

/** The p-th percentile (0 < p ≤ 100) of `values`; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface MedianAndTail {
  p50?: number;
  p95?: number;
}

export function medianAndTail(values: readonly number[]): MedianAndTail {
  const out: MedianAndTail = {};
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  if (p50 !== undefined) out.p50 = p50;
  if (p95 !== undefined) out.p95 = p95;
  return out;
}
