import type { Frame } from '../../../domain/engines/frame';
import { eyewearRecommendationsInputSchema, recommendEyewear, scoreFrame } from '../../../domain/engines/eyewear-recommendations';
import { issuePaths } from './issue-paths';

const parse = (input: unknown) => eyewearRecommendationsInputSchema.parse(input);
const run = (input: unknown) => recommendEyewear(parse(input));
const shopperInput = { faceShape: 'round', shopper: { faceWidthMm: 136, pdMm: 63 }, preferences: { materials: ['acetate'], colours: ['black'] } };
const frame: Frame = { id: 'test-1', name: 'Test Rectangle', shape: 'rectangle', lensWidthMm: 52, bridgeMm: 18, templeMm: 140, totalWidthMm: 136, material: 'acetate', colour: 'black', priceCents: 12_900, currency: 'usd' };

describe('eyewear-recommendations', () => {
  it('scores 100 for a frame that suits the face, fits and matches every preference', () => {
    const out = scoreFrame(frame, parse(shopperInput));
    expect(out.score).toBe(100);
    expect(out.reasons).toHaveLength(5);
  });

  it('scores only the PD fit for an avoided, oversized frame in the wrong material and colour', () => {
    // round on a round face 0, front 150 vs face 136 (14 mm off) 0, frame PD 68 for PD 63: 20
    const round: Frame = { ...frame, shape: 'round', lensWidthMm: 48, bridgeMm: 20, totalWidthMm: 150, material: 'metal', colour: 'gold' };
    const out = scoreFrame(round, parse(shopperInput));
    expect(out.score).toBe(20);
    expect(out.reasons[0]).toMatch(/^round frames are best avoided on a round face/);
  });

  it('gives half the width points to a front within 12 mm of the face', () => {
    expect(scoreFrame({ ...frame, totalWidthMm: 146 }, parse(shopperInput)).score).toBe(90);
  });

  it('scores 50 with no reasons when the shopper gives nothing', () => {
    expect(scoreFrame(frame, parse({}))).toMatchObject({ score: 50, reasons: [] });
  });

  it('scores a neutral shape 20 of the 40 face-shape points', () => {
    expect(scoreFrame({ ...frame, shape: 'cat-eye' }, parse(shopperInput)).score).toBe(80);
  });

  it('returns the top 10 by default', () => {
    expect(run(shopperInput).recommendations).toHaveLength(10);
  });

  it('ranks frames by score, then cheaper first', () => {
    const recs = run({ ...shopperInput, limit: 50 }).recommendations;
    for (let i = 1; i < recs.length; i += 1) {
      const [a, b] = [recs[i - 1]!, recs[i]!];
      expect(a.score > b.score || (a.score === b.score && a.frame.priceCents <= b.frame.priceCents)).toBe(true);
    }
  });

  it('puts no shape avoided for a round face in the top picks', () => {
    const shapes = run({ ...shopperInput, limit: 20 }).recommendations.map((r) => r.frame.shape);
    expect(shapes).not.toContain('round');
    expect(shapes).not.toContain('oval');
  });

  it('considers only frames inside the price range', () => {
    const out = run({ ...shopperInput, preferences: { priceCents: { max: 10_000 } }, limit: 50 });
    expect(out.considered).toBeGreaterThan(0);
    expect(out.considered).toBeLessThan(243);
    expect(out.recommendations.every((r) => r.frame.priceCents < 10_000)).toBe(true);
  });

  it('gives the same ranking for the same input', () => {
    expect(run(shopperInput)).toEqual(run(shopperInput));
  });

  it('rejects a limit above 50', () => {
    expect(issuePaths(eyewearRecommendationsInputSchema, { limit: 51 })).toEqual(['limit']);
  });

  it('rejects an empty colour list', () => {
    expect(issuePaths(eyewearRecommendationsInputSchema, { preferences: { colours: [] } })).toEqual(['preferences.colours']);
  });

  it('rejects an unknown face shape', () => {
    expect(issuePaths(eyewearRecommendationsInputSchema, { faceShape: 'triangle' })).toEqual(['faceShape']);
  });

  it('rejects a face width given in pixels', () => {
    expect(issuePaths(eyewearRecommendationsInputSchema, { shopper: { faceWidthMm: 680 } })).toEqual(['shopper.faceWidthMm']);
  });
});
