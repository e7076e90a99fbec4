import { findFrame } from '../../../domain/engines/frame-catalog';
import { consultFit, fitConsultationInputSchema } from '../../../domain/engines/fit-consultation';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => consultFit(fitConsultationInputSchema.parse(input));
const shopper = { faceWidthMm: 136, pdMm: 63, noseBridgeMm: 18 };
// 52-18-140 with a 136 mm front: frame PD 70, within 63 − 2 … 63 + 12; every dimension good.
const frame = { lensWidthMm: 52, bridgeMm: 18, templeMm: 140, totalWidthMm: 136 };
const verdictOf = (input: unknown, dimension: string) => run(input).dimensions.find((d) => d.dimension === dimension)?.verdict;

describe('fit-consultation', () => {
  it('finds a 52-18-140 frame a good fit on every dimension', () => {
    const out = run({ shopper, frame });
    expect(out.dimensions.map((d) => [d.dimension, d.verdict])).toEqual([
      ['lensWidth', 'good'],
      ['bridge', 'good'],
      ['temple', 'good'],
      ['totalWidth', 'good'],
    ]);
    expect(out.overall).toBe('fits');
  });

  it('gives the good range it judged against', () => {
    const lens = run({ shopper, frame }).dimensions[0]!;
    expect(lens).toMatchObject({ frameMm: 52, goodMinMm: 43, goodMaxMm: 57 });
  });

  it('calls lenses too small when the frame PD is narrower than the PD less 2 mm', () => {
    // 40 + 18 = 58 < 61
    expect(verdictOf({ shopper, frame: { ...frame, lensWidthMm: 40 } }, 'lensWidth')).toBe('too-small');
  });

  it('calls lenses too large when the frame PD exceeds the PD by more than 12 mm', () => {
    // 58 + 18 = 76 > 75
    expect(verdictOf({ shopper, frame: { ...frame, lensWidthMm: 58 } }, 'lensWidth')).toBe('too-large');
  });

  it('accepts a frame PD exactly 12 mm over the PD', () => {
    expect(verdictOf({ shopper, frame: { ...frame, lensWidthMm: 57 } }, 'lensWidth')).toBe('good');
  });

  it('judges the bridge against the measured nose within 2 mm', () => {
    expect(verdictOf({ shopper, frame: { ...frame, bridgeMm: 15 } }, 'bridge')).toBe('too-small');
    expect(verdictOf({ shopper, frame: { ...frame, bridgeMm: 20 } }, 'bridge')).toBe('good');
    expect(verdictOf({ shopper, frame: { ...frame, bridgeMm: 21 } }, 'bridge')).toBe('too-large');
  });

  it('judges the bridge against the typical 14–24 mm range without a nose measurement', () => {
    const bridge = run({ shopper: { faceWidthMm: 136, pdMm: 63 }, frame: { ...frame, bridgeMm: 13 } }).dimensions[1]!;
    expect(bridge).toMatchObject({ verdict: 'too-small', goodMinMm: 14, goodMaxMm: 24 });
    expect(bridge.reason).toMatch(/no nose bridge width given/);
  });

  it('wants about 140 mm temples for a 136 mm face', () => {
    expect(verdictOf({ shopper, frame: { ...frame, templeMm: 130 } }, 'temple')).toBe('too-small');
    expect(verdictOf({ shopper, frame: { ...frame, templeMm: 150 } }, 'temple')).toBe('too-large');
  });

  it('wants 150 mm temples for a 150 mm face', () => {
    expect(verdictOf({ shopper: { ...shopper, faceWidthMm: 150 }, frame: { ...frame, templeMm: 150, totalWidthMm: 150 } }, 'temple')).toBe('good');
  });

  it('calls a front more than 6 mm wider than the face too large', () => {
    const width = run({ shopper, frame: { ...frame, totalWidthMm: 143 } }).dimensions[3]!;
    expect(width.verdict).toBe('too-large');
    expect(width.reason).toBe('the 143 mm frame front is wider than your 136 mm face and would overhang');
  });

  it('skips the front-width check when the total width is not given', () => {
    const { totalWidthMm: _omit, ...printed } = frame;
    const out = run({ shopper, frame: printed });
    expect(out.dimensions.map((d) => d.dimension)).toEqual(['lensWidth', 'bridge', 'temple']);
    expect(out.frame.totalWidthMm).toBeNull();
  });

  it('calls one off dimension borderline', () => {
    const out = run({ shopper, frame: { ...frame, templeMm: 150 } });
    expect(out.overall).toBe('borderline');
    expect(out.summary).toMatch(/check the temple/);
  });

  it('calls two off dimensions a poor fit', () => {
    expect(run({ shopper, frame: { ...frame, templeMm: 150, bridgeMm: 22 } }).overall).toBe('does-not-fit');
  });

  it('reads the sizes of a catalog frame by id', () => {
    const catalogFrame = findFrame('frm-002')!;
    const out = run({ shopper, frameId: 'frm-002' });
    expect(out.frame).toEqual({
      id: 'frm-002',
      lensWidthMm: catalogFrame.lensWidthMm,
      bridgeMm: catalogFrame.bridgeMm,
      templeMm: catalogFrame.templeMm,
      totalWidthMm: catalogFrame.totalWidthMm,
    });
  });

  it('rejects an unknown frame id', () => {
    expect(issuePaths(fitConsultationInputSchema, { shopper, frameId: 'frm-999' })).toEqual(['frameId']);
  });

  it('rejects both a frame id and frame sizes', () => {
    expect(issuePaths(fitConsultationInputSchema, { shopper, frameId: 'frm-002', frame })).toEqual(['frame']);
  });

  it('rejects neither a frame id nor frame sizes', () => {
    expect(issuePaths(fitConsultationInputSchema, { shopper })).toEqual(['frame']);
  });

  it('rejects a PD given in pixels', () => {
    expect(issuePaths(fitConsultationInputSchema, { shopper: { ...shopper, pdMm: 315 }, frame })).toEqual(['shopper.pdMm']);
  });

  it('rejects a zero lens width', () => {
    expect(issuePaths(fitConsultationInputSchema, { shopper, frame: { ...frame, lensWidthMm: 0 } })).toEqual(['frame.lensWidthMm']);
  });
});
