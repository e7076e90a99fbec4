import { readFileSync } from 'node:fs';
import { contactLensTryOnInputSchema, tryOnLenses } from '../../../domain/engines/contact-lens-try-on';
import { insidePolygon, lensPaint } from '../../../domain/engines/lens-recolour';
import { lensEyeOf } from '../../../domain/engines/try-on-face';
import { issuePaths } from './issue-paths';
import { syntheticFace } from './synthetic-face';

const run = (input: unknown) => tryOnLenses(contactLensTryOnInputSchema.parse(input));
const face = syntheticFace({ irisPx: 60 });
const fixture = (name: string) => JSON.parse(readFileSync(`${__dirname}/../../fixtures/landmarks/${name}.json`, 'utf8'));

describe('contact-lens recolour geometry', () => {
  it('tints the iris to its horizontal radius and leaves a third of it clear for the pupil', () => {
    const paint = lensPaint({ irisCentre: { x: 100, y: 100 }, irisRadiusPx: 31, eyelid: [{ x: 0, y: 100 }, { x: 100, y: 50 }, { x: 200, y: 100 }, { x: 100, y: 150 }] });
    expect(paint).toMatchObject({ centre: { x: 100, y: 100 }, radiusPx: 31, pupilRadiusPx: 10.23 });
  });

  it('joins the eyelids into one polygon around the eye: outer corner, upper lid, inner corner, lower lid back', () => {
    const eye = syntheticFace().face!.leftEye;
    const polygon = lensEyeOf(eye).eyelid;
    expect(polygon).toHaveLength(16);
    expect(polygon[0]).toEqual(eye.outer);
    expect(polygon[8]).toEqual(eye.inner);
    expect(polygon[15]).toEqual(eye.lowerLid[0]);
  });

  it('measures how much of the iris the eyelids leave visible', () => {
    const visible = (lidPx: number) => lensPaint(lensEyeOf(syntheticFace({ irisPx: 60, lidPx }).face!.leftEye)).visibleFraction;
    expect(visible(40)).toBeGreaterThan(0.95);
    expect(visible(10)).toBeGreaterThan(0.2);
    expect(visible(10)).toBeLessThan(0.45);
  });

  it('tells inside from outside the eyelid polygon', () => {
    const lid = lensEyeOf(syntheticFace({ lidPx: 20 }).face!.leftEye).eyelid;
    expect(insidePolygon({ x: 660, y: 400 }, lid)).toBe(true);
    expect(insidePolygon({ x: 660, y: 425 }, lid)).toBe(false); // under the lower lid
    expect(insidePolygon({ x: 730, y: 400 }, lid)).toBe(false); // past the outer corner
  });
});

describe('contact-lens-try-on engine', () => {
  it('paints a listed lens on both eyes, left then right, with the default opacity', () => {
    const out = run({ landmarks: face, lensId: 'ocean-blue' });
    expect(out).toMatchObject({ colour: '#2f7fd1', opacity: 0.6, warning: null });
    expect(out.eyes.map((e) => [e.centre.x, e.radiusPx])).toEqual([[660, 30], [340, 30]]);
    expect(out.lenses.length).toBeGreaterThan(3);
  });

  it("takes the brand's own colour, lower-cased, and its opacity; the first listed lens without either", () => {
    expect(run({ landmarks: face, colour: '#A0B0C0', opacity: 0.9 })).toMatchObject({ colour: '#a0b0c0', opacity: 0.9 });
    expect(run({ landmarks: face }).colour).toBe('#2f7fd1');
  });

  it('warns when an eyelid covers most of an iris', () => {
    expect(run({ landmarks: syntheticFace({ irisPx: 60, lidPx: 5 }), lensId: 'hazel' }).warning).toMatch(/closed/);
  });

  it('finds both irises of a real face open, inside their eyelids', () => {
    const out = run({ landmarks: fixture('screenshot-faceid') });
    for (const eye of out.eyes) {
      expect(eye.visibleFraction).toBeGreaterThan(0.5);
      expect(insidePolygon(eye.centre, eye.eyelid)).toBe(true);
    }
  });

  it.each([
    ['both a lens and a colour', { landmarks: face, lensId: 'hazel', colour: '#000000' }, 'colour'],
    ['an unknown lens', { landmarks: face, lensId: 'violet' }, 'lensId'],
    ['a colour name instead of hex', { landmarks: face, colour: 'blue' }, 'colour'],
    ['an opacity above 1', { landmarks: face, lensId: 'hazel', opacity: 1.5 }, 'opacity'],
    ['a photo without a face', { landmarks: { kind: 'face-landmarks', version: 1, image: { width: 800, height: 600 }, faceCount: 0 } }, 'landmarks.face'],
  ])('refuses %s, naming the field', (_name, input, path) => {
    expect(issuePaths(contactLensTryOnInputSchema, input)).toContain(path);
  });
});
