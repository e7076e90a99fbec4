// Small numeric helpers. Rounding is half away from zero on the decimal, so 62.95 → 63.0 is stable.
import type { Point } from './schemas';

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // The epsilon absorbs binary error such as 1.005 * 100 = 100.49999…
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
