import { randomUUID } from 'node:crypto';
import { appGate, bucketOf, isIn, type FlagRule } from '../../../domain/flags/rollout';

const brands = Array.from({ length: 4000 }, () => randomUUID());
const rule = (over: Partial<FlagRule> = {}): FlagRule => ({ key: 'app.frame-finder', percentage: 0, brands: [], killed: false, ...over });
const inAt = (percentage: number, key = 'app.frame-finder') => new Set(brands.filter((b) => isIn(rule({ key, percentage }), b)));

describe('flag rollout', () => {
  it('gives a brand the same bucket for a flag every time, within 0..9999', () => {
    for (const b of brands.slice(0, 50)) {
      const bucket = bucketOf('app.frame-finder', b);
      expect(bucket).toBe(bucketOf('app.frame-finder', b));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(10_000);
    }
  });

  it('keeps every brand of 10 % when raised to 20 %, and adds others', () => {
    const ten = inAt(10);
    const twenty = inAt(20);
    for (const b of ten) expect(twenty.has(b)).toBe(true);
    expect(twenty.size).toBeGreaterThan(ten.size);
  });

  it('lets in about the share asked for (4,000 brands: 20 % ± 3)', () => {
    expect(inAt(20).size / brands.length).toBeGreaterThan(0.17);
    expect(inAt(20).size / brands.length).toBeLessThan(0.23);
    expect(inAt(0).size).toBe(0);
    expect(inAt(100).size).toBe(brands.length);
  });

  it('spreads each flag’s first brands differently', () => {
    const a = inAt(10, 'app.a');
    const b = inAt(10, 'app.b');
    const both = [...a].filter((x) => b.has(x)).length;
    expect(both).toBeLessThan(a.size / 2);
  });

  it('lets a listed brand in at 0 %, and no one in once killed', () => {
    const listed = brands[0]!;
    expect(isIn(rule({ brands: [listed] }), listed)).toBe(true);
    expect(isIn(rule({ brands: [listed] }), brands[1]!)).toBe(false);
    expect(isIn(rule({ brands: [listed], percentage: 100, killed: true }), listed)).toBe(false);
  });

  it('gates an app: open without a flag, killed before anything else, not_released outside the rollout', () => {
    expect(appGate(undefined, brands[0]!)).toBe('open');
    expect(appGate(rule({ percentage: 100, killed: true }), brands[0]!)).toBe('killed');
    expect(appGate(rule({ percentage: 0 }), brands[0]!)).toBe('not_released');
    expect(appGate(rule({ percentage: 100 }), brands[0]!)).toBe('open');
  });
});
