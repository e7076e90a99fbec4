// How one frame dimension compares with the shopper's measurements. Shared by fit-consultation
// (the verdicts) and eyewear-recommendations (which scores frames by them).
import { round } from './geometry';

export type FitVerdict = 'too-small' | 'good' | 'too-large';
export type FitDimension = 'lensWidth' | 'bridge' | 'temple' | 'totalWidth';

export interface DimensionFit {
  dimension: FitDimension;
  frameMm: number;
  /** The good range, both ends inclusive: a fit tolerance, not a half-open range. */
  goodMinMm: number;
  goodMaxMm: number;
  verdict: FitVerdict;
  reason: string;
}

// Frame PD (lens width + bridge) may exceed the shopper's PD by up to 12 mm: that is 6 mm of
// decentration per lens, beyond which the lens blank and edge thickness grow noticeably. Below
// PD − 2 the eyes sit outboard of the optical centres.
const framePdBelowMm = 2;
const framePdAboveMm = 12;
// Frame front within 6 mm of the face width: narrower pinches the temples, wider slides and gapes.
const totalWidthToleranceMm = 6;
const bridgeToleranceMm = 2;
// Without a measured nose, the usual adult bridge sizes.
const typicalBridgeMm = [14, 24] as const;
const templeToleranceMm = 5;

function verdictFor(value: number, lo: number, hi: number): FitVerdict {
  if (value < lo) return 'too-small';
  if (value > hi) return 'too-large';
  return 'good';
}

export function fitLensWidth(lensWidthMm: number, bridgeMm: number, pdMm: number): DimensionFit {
  const framePdMm = lensWidthMm + bridgeMm;
  const lo = round(pdMm - framePdBelowMm - bridgeMm, 1);
  const hi = round(pdMm + framePdAboveMm - bridgeMm, 1);
  const verdict = verdictFor(lensWidthMm, lo, hi);
  const reason = {
    'too-small': `frame PD ${framePdMm} mm is narrower than your ${pdMm} mm PD, so you would look through the outer edge of each lens`,
    good: `frame PD ${framePdMm} mm centres each lens on your ${pdMm} mm PD`,
    'too-large': `frame PD ${framePdMm} mm exceeds your ${pdMm} mm PD by more than ${framePdAboveMm} mm, so the lenses must be decentred and edges get thick`,
  }[verdict];
  return { dimension: 'lensWidth', frameMm: lensWidthMm, goodMinMm: lo, goodMaxMm: hi, verdict, reason };
}

export function fitBridge(bridgeMm: number, noseBridgeMm: number | undefined): DimensionFit {
  const [lo, hi] = noseBridgeMm === undefined ? typicalBridgeMm : [noseBridgeMm - bridgeToleranceMm, noseBridgeMm + bridgeToleranceMm];
  const verdict = verdictFor(bridgeMm, lo, hi);
  const against = noseBridgeMm === undefined ? `the typical ${lo}–${hi} mm range (no nose bridge width given)` : `your ${noseBridgeMm} mm nose bridge`;
  const reason = {
    'too-small': `the ${bridgeMm} mm bridge is narrower than ${against} and would pinch and sit high`,
    good: `the ${bridgeMm} mm bridge suits ${against}`,
    'too-large': `the ${bridgeMm} mm bridge is wider than ${against} and would slide down the nose`,
  }[verdict];
  return { dimension: 'bridge', frameMm: bridgeMm, goodMinMm: lo, goodMaxMm: hi, verdict, reason };
}

/** Temple length follows head size, for which face width is the proxy we have. */
export function idealTempleMm(faceWidthMm: number): number {
  if (faceWidthMm < 128) return 135;
  if (faceWidthMm < 138) return 140;
  if (faceWidthMm < 148) return 145;
  return 150;
}

export function fitTemple(templeMm: number, faceWidthMm: number): DimensionFit {
  const ideal = idealTempleMm(faceWidthMm);
  const lo = ideal - templeToleranceMm;
  const hi = ideal + templeToleranceMm;
  const verdict = verdictFor(templeMm, lo, hi);
  const reason = {
    'too-small': `${templeMm} mm temples are short for a ${faceWidthMm} mm face (about ${ideal} mm suits) and would press behind the ears`,
    good: `${templeMm} mm temples suit a ${faceWidthMm} mm face (about ${ideal} mm)`,
    'too-large': `${templeMm} mm temples are long for a ${faceWidthMm} mm face (about ${ideal} mm suits) and would let the frame slip`,
  }[verdict];
  return { dimension: 'temple', frameMm: templeMm, goodMinMm: lo, goodMaxMm: hi, verdict, reason };
}

export function fitTotalWidth(totalWidthMm: number, faceWidthMm: number): DimensionFit {
  const lo = faceWidthMm - totalWidthToleranceMm;
  const hi = faceWidthMm + totalWidthToleranceMm;
  const verdict = verdictFor(totalWidthMm, lo, hi);
  const reason = {
    'too-small': `the ${totalWidthMm} mm frame front is narrower than your ${faceWidthMm} mm face and would pinch at the temples`,
    good: `the ${totalWidthMm} mm frame front matches your ${faceWidthMm} mm face width`,
    'too-large': `the ${totalWidthMm} mm frame front is wider than your ${faceWidthMm} mm face and would overhang`,
  }[verdict];
  return { dimension: 'totalWidth', frameMm: totalWidthMm, goodMinMm: lo, goodMaxMm: hi, verdict, reason };
}
