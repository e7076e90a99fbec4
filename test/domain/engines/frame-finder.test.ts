import { frameCatalog } from '../../../domain/engines/frame-catalog';
import { findFrames, frameFinderInputSchema } from '../../../domain/engines/frame-finder';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => findFrames(frameFinderInputSchema.parse(input));

describe('frame-finder', () => {
  it('returns the first 20 of all frames, cheapest first, when given no filters', () => {
    const out = run({});
    expect(out).toMatchObject({ total: frameCatalog.length, offset: 0, limit: 20 });
    expect(out.frames).toHaveLength(20);
    expect(out.frames[0]!.priceCents).toBe(Math.min(...frameCatalog.map((f) => f.priceCents)));
  });

  it('breaks price ties by frame id', () => {
    const { frames } = run({ limit: 100 });
    for (let i = 1; i < frames.length; i += 1) {
      const [a, b] = [frames[i - 1]!, frames[i]!];
      expect(a.priceCents < b.priceCents || (a.priceCents === b.priceCents && a.id < b.id)).toBe(true);
    }
  });

  it('keeps only frames of any listed shape and material', () => {
    const out = run({ shapes: ['aviator', 'round'], materials: ['titanium'], limit: 100 });
    const expected = frameCatalog.filter((f) => ['aviator', 'round'].includes(f.shape) && f.material === 'titanium');
    expect(out.total).toBe(expected.length);
    expect(out.total).toBeGreaterThan(0);
    expect(out.frames.every((f) => ['aviator', 'round'].includes(f.shape) && f.material === 'titanium')).toBe(true);
  });

  it('keeps only frames of a listed colour', () => {
    const out = run({ colours: ['tortoise'], limit: 100 });
    expect(out.total).toBe(frameCatalog.filter((f) => f.colour === 'tortoise').length);
    expect(out.frames.every((f) => f.colour === 'tortoise')).toBe(true);
  });

  it('includes the minimum price and excludes the maximum', () => {
    const out = run({ priceCents: { min: 12_900, max: 14_900 }, limit: 100 });
    const prices = new Set(out.frames.map((f) => f.priceCents));
    expect(prices.has(12_900)).toBe(true);
    expect(prices.has(14_900)).toBe(false);
    expect(out.total).toBe(frameCatalog.filter((f) => f.priceCents >= 12_900 && f.priceCents < 14_900).length);
  });

  it('filters on size ranges, end exclusive', () => {
    const out = run({ lensWidthMm: { min: 50, max: 53 }, templeMm: { min: 145 }, limit: 100 });
    expect(out.total).toBeGreaterThan(0);
    expect(out.frames.every((f) => f.lensWidthMm >= 50 && f.lensWidthMm < 53 && f.templeMm >= 145)).toBe(true);
  });

  it('sorts by price descending', () => {
    const prices = run({ sort: 'price-desc', limit: 100 }).frames.map((f) => f.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });

  it('sorts by name', () => {
    const names = run({ sort: 'name', limit: 100 }).frames.map((f) => f.name);
    expect(names).toEqual([...names].sort());
  });

  it('pages through the matches without overlap or gaps', () => {
    const all = run({ shapes: ['wayfarer'], limit: 100 }).frames.map((f) => f.id);
    const pages = [0, 10, 20].flatMap((offset) => run({ shapes: ['wayfarer'], limit: 10, offset }).frames.map((f) => f.id));
    expect(pages).toEqual(all);
  });

  it('returns an empty page past the end but still counts the matches', () => {
    expect(run({ shapes: ['aviator'], offset: 500 })).toMatchObject({ total: 27, frames: [] });
  });

  it('returns nothing when no frame matches', () => {
    // Aviators are metal or titanium only.
    expect(run({ shapes: ['aviator'], materials: ['acetate'] })).toMatchObject({ total: 0, frames: [] });
  });

  it('rejects a price range whose minimum is not below its maximum', () => {
    expect(issuePaths(frameFinderInputSchema, { priceCents: { min: 15_000, max: 15_000 } })).toEqual(['priceCents.max']);
  });

  it('rejects a fractional price', () => {
    expect(issuePaths(frameFinderInputSchema, { priceCents: { max: 99.5 } })).toEqual(['priceCents.max']);
  });

  it('rejects an empty shape list instead of reading it as any shape', () => {
    expect(issuePaths(frameFinderInputSchema, { shapes: [] })).toEqual(['shapes']);
  });

  it('rejects an unknown material', () => {
    expect(issuePaths(frameFinderInputSchema, { materials: ['wood'] })).toEqual(['materials.0']);
  });

  it('rejects a limit outside 1–100', () => {
    expect(issuePaths(frameFinderInputSchema, { limit: 0 })).toEqual(['limit']);
    expect(issuePaths(frameFinderInputSchema, { limit: 101 })).toEqual(['limit']);
  });

  it('rejects an unknown sort', () => {
    expect(issuePaths(frameFinderInputSchema, { sort: 'popularity' })).toEqual(['sort']);
  });
});
