// The operator console's month charts: round axis steps, a domain that always holds zero, and
// stacks where a negative value (churn, refunds) hangs below the axis instead of cancelling a rise.
import { niceStep, scaleOf, stacks } from '../../web/src/lib/charts/month-scale';

describe('niceStep', () => {
  it.each([
    [0.3, 0.5],
    [1, 1],
    [1.2, 2],
    [3, 5],
    [7, 10],
    [437.25, 500],
    [12_000, 20_000],
  ])('rounds %p up to %p', (raw, step) => {
    expect(niceStep(raw)).toBe(step);
  });

  it('answers 1 for nothing to divide', () => {
    expect(niceStep(0)).toBe(1);
  });
});

describe('scaleOf', () => {
  it('widens to round ticks from zero', () => {
    expect(scaleOf(0, 1749)).toEqual({ min: 0, max: 2000, ticks: [0, 500, 1000, 1500, 2000] });
  });

  it('keeps zero inside a domain of negatives and positives', () => {
    const s = scaleOf(-300, 900);
    expect(s.min).toBeLessThanOrEqual(-300);
    expect(s.max).toBeGreaterThanOrEqual(900);
    expect(s.ticks).toContain(0);
  });

  it('gives an all-zero chart a unit domain, not a division by zero', () => {
    expect(scaleOf(0, 0)).toEqual({ min: 0, max: 1, ticks: [0, 1] });
  });

  it('cuts a rate domain into whole steps without float drift', () => {
    expect(scaleOf(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('stacks', () => {
  it('stacks positives upward and negatives downward, each from its own side of the axis (a zero adds nothing)', () => {
    expect(stacks([[100, 50], [20, 0], [-30, -10], [-5, 0]], 2)).toEqual([
      [{ from: 0, to: 100 }, { from: 0, to: 50 }],
      [{ from: 100, to: 120 }, { from: 50, to: 50 }],
      [{ from: 0, to: -30 }, { from: 0, to: -10 }],
      [{ from: -30, to: -35 }, { from: 50, to: 50 }],
    ]);
  });

  it('reads a missing value as zero', () => {
    expect(stacks([[5]], 2)).toEqual([[{ from: 0, to: 5 }, { from: 0, to: 0 }]]);
  });
});
