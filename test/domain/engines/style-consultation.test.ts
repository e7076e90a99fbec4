import { frameCatalog } from '../../../domain/engines/frame-catalog';
import { consultStyle, styleConsultationInputSchema } from '../../../domain/engines/style-consultation';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => consultStyle(styleConsultationInputSchema.parse(input));

describe('style-consultation', () => {
  it('recommends angular frames for a round face', () => {
    expect(run({ faceShape: 'round' }).recommended.map((r) => r.shape)).toEqual(['rectangle', 'square', 'geometric', 'wayfarer', 'browline']);
  });

  it('advises against curved frames on a round face, with the reason', () => {
    const { avoided } = run({ faceShape: 'round' });
    expect(avoided.map((a) => a.shape)).toEqual(['round', 'oval']);
    expect(avoided[0]!.reason).toBe('round frames are best avoided on a round face: curved frames repeat the roundness of the face');
  });

  it('avoids nothing for an oval face', () => {
    expect(run({ faceShape: 'oval' }).avoided).toEqual([]);
  });

  it('moves a liked recommended shape to the front', () => {
    expect(run({ faceShape: 'square', preferences: { shapes: ['aviator'] } }).recommended[0]!.shape).toBe('aviator');
  });

  it('warns when a liked shape is one to avoid', () => {
    const { notes } = run({ faceShape: 'heart', preferences: { shapes: ['cat-eye'] } });
    expect(notes).toEqual(['You like cat-eye frames, but on a heart face top-heavy frames add more width to an already wide forehead.']);
  });

  it('says a liked neutral shape is fine', () => {
    expect(run({ faceShape: 'round', preferences: { shapes: ['aviator'] } }).notes).toEqual(['You like aviator frames; they neither help nor hurt a round face.']);
  });

  it('samples six frames by default, one per recommended shape before any repeats', () => {
    const { sampleFrames, recommended } = run({ faceShape: 'round' });
    expect(sampleFrames).toHaveLength(6);
    expect(sampleFrames.slice(0, 5).map((f) => f.shape)).toEqual(recommended.map((r) => r.shape));
    expect(sampleFrames[5]!.shape).toBe('rectangle');
  });

  it('samples the cheapest frame of each shape first', () => {
    const [first] = run({ faceShape: 'round', sampleCount: 1 }).sampleFrames;
    const rectangles = frameCatalog.filter((f) => f.shape === 'rectangle');
    expect(first!.priceCents).toBe(Math.min(...rectangles.map((f) => f.priceCents)));
  });

  it('samples only frames matching the material, colour and price preferences', () => {
    const { sampleFrames } = run({ faceShape: 'square', preferences: { materials: ['metal', 'titanium'], colours: ['gold', 'silver'], priceCents: { max: 25_000 } }, sampleCount: 12 });
    expect(sampleFrames.length).toBeGreaterThan(0);
    expect(sampleFrames.every((f) => ['metal', 'titanium'].includes(f.material) && ['gold', 'silver'].includes(f.colour) && f.priceCents < 25_000)).toBe(true);
  });

  it('samples only frames that fit the shopper when measurements are given', () => {
    const { sampleFrames } = run({ faceShape: 'oval', shopper: { faceWidthMm: 130, pdMm: 60 }, sampleCount: 12 });
    expect(sampleFrames.length).toBeGreaterThan(0);
    expect(sampleFrames.every((f) => Math.abs(f.totalWidthMm - 130) <= 6 && f.lensWidthMm + f.bridgeMm >= 58 && f.lensWidthMm + f.bridgeMm <= 72)).toBe(true);
  });

  it('says so when no catalog frame matches the preferences', () => {
    // No titanium frame is tortoise.
    const out = run({ faceShape: 'square', preferences: { materials: ['titanium'], colours: ['tortoise'] } });
    expect(out.sampleFrames).toEqual([]);
    expect(out.notes).toEqual([expect.stringMatching(/^No catalog frame/)]);
  });

  it('samples nothing, silently, when asked for no samples', () => {
    expect(run({ faceShape: 'round', sampleCount: 0 })).toMatchObject({ sampleFrames: [], notes: [] });
  });

  it('rejects a missing face shape', () => {
    expect(issuePaths(styleConsultationInputSchema, {})).toEqual(['faceShape']);
  });

  it('rejects more than 12 samples', () => {
    expect(issuePaths(styleConsultationInputSchema, { faceShape: 'round', sampleCount: 13 })).toEqual(['sampleCount']);
  });

  it('rejects an unknown liked shape', () => {
    expect(issuePaths(styleConsultationInputSchema, { faceShape: 'round', preferences: { shapes: ['hexagon'] } })).toEqual(['preferences.shapes.0']);
  });
});
