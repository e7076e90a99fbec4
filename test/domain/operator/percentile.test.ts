// Percentiles of values, and a quantile read from cumulative histogram buckets as PromQL does.
import { histogramQuantile, percentile } from '../../../domain/operator/percentile';

describe('percentile', () => {
  it('interpolates between the closest ranks, in any input order', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
    expect(percentile([7], 99)).toBe(7);
  });

  it('answers null for no values', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe('histogramQuantile', () => {
  const buckets = [
    { le: 0.005, count: 50 },
    { le: 0.01, count: 90 },
    { le: 0.025, count: 100 },
    { le: Infinity, count: 100 },
  ];

  it('interpolates inside the bucket holding the rank', () => {
    // Rank 95 of 100 is halfway through the 0.01–0.025 bucket (90 → 100).
    expect(histogramQuantile(buckets, 0.95)).toBeCloseTo(0.0175, 10);
    // Rank 25 is halfway through the first bucket, which starts at 0.
    expect(histogramQuantile(buckets, 0.25)).toBeCloseTo(0.0025, 10);
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(histogramQuantile([{ le: 0.1, count: 1 }, { le: Infinity, count: 100 }], 0.95)).toBe(0.1);
  });

  it('answers null without observations, and accepts buckets in any order', () => {
    expect(histogramQuantile([{ le: 0.1, count: 0 }, { le: Infinity, count: 0 }], 0.95)).toBeNull();
    expect(histogramQuantile([], 0.95)).toBeNull();
    expect(histogramQuantile([...buckets].reverse(), 0.95)).toBeCloseTo(0.0175, 10);
  });
});
