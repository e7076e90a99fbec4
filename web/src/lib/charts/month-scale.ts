// The y scale of the console's month charts: a domain widened to round steps (1, 2 or 5 × 10ⁿ),
// so the axis reads $0, $500, $1,000 rather than $0, $437.25, … Pure, so it is unit-tested.

export interface Scale {
  min: number;
  max: number;
  ticks: number[];
}

/** The round step nearest above `raw`: 1, 2 or 5 times a power of ten. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** A domain holding `low`..`high` and zero, cut in about `count` round steps. */
export function scaleOf(low: number, high: number, count = 4): Scale {
  const lo = Math.min(0, low);
  const hi = Math.max(0, high);
  if (hi === lo) return { min: 0, max: 1, ticks: [0, 1] };
  const step = niceStep((hi - lo) / count);
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Counted in steps, not summed, so no float drift adds a tick; 3 × 0.2 reads 0.6, not 0.6000000000000001.
  for (let i = 0; i <= Math.round((max - min) / step); i++) ticks.push(Number((min + i * step).toPrecision(12)));
  return { min, max, ticks };
}

/** Each bucket's stack: positives rise from zero, negatives hang below it, in series order. */
export function stacks(series: number[][], buckets: number): { from: number; to: number }[][] {
  const up = new Array<number>(buckets).fill(0);
  const down = new Array<number>(buckets).fill(0);
  return series.map((values) =>
    Array.from({ length: buckets }, (_, b) => {
      const v = values[b] ?? 0;
      if (v >= 0) {
        const from = up[b]!;
        up[b] = from + v;
        return { from, to: from + v };
      }
      const from = down[b]!;
      down[b] = from + v;
      return { from, to: from + v };
    }),
  );
}
