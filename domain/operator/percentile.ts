// Pure: percentiles of a list of values, and a quantile estimated from a Prometheus histogram.

/** Linear interpolation between the closest ranks (q in 0..100); null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** One cumulative bucket: observations ≤ `le` (Infinity for the last). */
export interface HistogramBucket {
  le: number;
  count: number;
}

/**
 * What PromQL's histogram_quantile answers (q in 0..1): find the bucket holding the q-th
 * observation and interpolate linearly inside it, from 0 for the first bucket. When it falls in
 * the +Inf bucket, the highest finite bound is all a histogram can say. Null without observations.
 */
export function histogramQuantile(buckets: readonly HistogramBucket[], q: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted[sorted.length - 1]?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket === 0 ? b.le : prevLe + (b.le - prevLe) * ((rank - prevCount) / inBucket);
    }
    prevLe = Number.isFinite(b.le) ? b.le : prevLe;
    prevCount = b.count;
  }
  return prevLe;
}
