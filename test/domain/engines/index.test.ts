import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { appCatalog } from '../../../domain/catalog/apps';
import { builtInEngines, isBuiltInEngineSlug, runBuiltInEngine } from '../../../domain/engines';

const slugs = ['pd-calculator', 'face-shape-analysis', 'frame-finder', 'eyewear-recommendations', 'style-consultation', 'fit-consultation', 'advanced-analytics', 'virtual-try-on', 'contact-lens-try-on'];
const realFace = JSON.parse(readFileSync(`${__dirname}/../../fixtures/landmarks/screenshot-faceid.json`, 'utf8'));

// One valid input per engine, like the README examples.
const examples: Record<string, unknown> = {
  'pd-calculator': { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } },
  'face-shape-analysis': {
    landmarks: {
      hairline: { x: 200, y: 0 }, chin: { x: 200, y: 196 }, foreheadLeft: { x: 135, y: 30 }, foreheadRight: { x: 265, y: 30 },
      cheekboneLeft: { x: 130, y: 80 }, cheekboneRight: { x: 270, y: 80 }, jawLeft: { x: 144, y: 150 }, jawRight: { x: 256, y: 150 },
    },
  },
  'frame-finder': { shapes: ['wayfarer', 'square'], materials: ['acetate'], priceCents: { max: 20_000 }, sort: 'price-asc', limit: 5 },
  'eyewear-recommendations': { faceShape: 'round', shopper: { faceWidthMm: 136, pdMm: 63 }, preferences: { materials: ['acetate'], colours: ['black'] }, limit: 3 },
  'style-consultation': { faceShape: 'heart', preferences: { shapes: ['cat-eye'] }, sampleCount: 4 },
  'fit-consultation': { shopper: { faceWidthMm: 136, pdMm: 63, noseBridgeMm: 18 }, frame: { lensWidthMm: 52, bridgeMm: 18, templeMm: 140, totalWidthMm: 136 } },
  'virtual-try-on': { landmarks: realFace, frameIds: ['frm-001'] },
  'contact-lens-try-on': { landmarks: realFace, lensId: 'hazel', opacity: 0.7 },
  'advanced-analytics': { rows: [{ day: '2025-03-14', appSlug: 'pd-calculator', tokens: 700, uses: 700 }], balanceTokens: 1000, asOf: '2025-03-14' },
};

describe('built-in engine registry', () => {
  it('registers exactly the nine built-in engines', () => {
    expect(Object.keys(builtInEngines).sort()).toEqual([...slugs].sort());
  });

  it('names every engine after an app in the catalog', () => {
    const catalogSlugs = appCatalog.map((a) => a.slug);
    for (const slug of slugs) expect(catalogSlugs).toContain(slug);
  });

  it.each(slugs)('runs the README example for %s', (slug) => {
    if (!isBuiltInEngineSlug(slug)) throw new Error(`not an engine: ${slug}`);
    expect(runBuiltInEngine(slug, examples[slug])).toBeDefined();
  });

  it('validates before running and returns the engine output', () => {
    expect(runBuiltInEngine('pd-calculator', examples['pd-calculator'])).toMatchObject({ pdMm: 63, plausible: true });
  });

  it('throws the schema error, with the field path, for invalid input', () => {
    let error: unknown;
    try {
      runBuiltInEngine('pd-calculator', { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 0, y: 0 }, reference: { kind: 'card', widthPx: 428 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(z.ZodError);
    expect((error as z.ZodError).issues[0]!.path).toEqual(['rightPupil']);
  });

  it('knows which slugs are built-in', () => {
    expect(isBuiltInEngineSlug('frame-finder')).toBe(true);
    expect(isBuiltInEngineSlug('conversational-ai')).toBe(false);
    expect(isBuiltInEngineSlug('constructor')).toBe(false);
  });
});
