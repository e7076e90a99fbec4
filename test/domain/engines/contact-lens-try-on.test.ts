import { contactLensTryOnInputSchema, tryOnLenses } from '../../../domain/engines/contact-lens-try-on';
import { insidePolygon, lensPaint } from '../../../domain/engines/lens-recolour';
import { issuePaths } from './issue-paths';

const circle = (c: { x: number; y: number }, r: number, n = 4) => Array.from({ length: n }, (_, i) => ({ x: c.x + r * Math.cos((2 * i * Math.PI) / n), y: c.y + r * Math.sin((2 * i * Math.PI) / n) }));
// An eye opening 120 × 2·h px around the iris: h = 40 shows the whole 30 px iris, h = 10 little of it.
const opening = (c: { x: number; y: number }, h: number) => Array.from({ length: 16 }, (_, i) => ({ x: c.x + 60 * Math.cos((i * Math.PI) / 8), y: c.y + h * Math.sin((i * Math.PI) / 8) }));
const eye = (c: { x: number; y: number }, h = 40) => ({ irisCentre: c, irisEdge: circle(c, 30), eyelid: opening(c, h) });
const face = { leftEye: eye({ x: 660, y: 400 }), rightEye: eye({ x: 340, y: 400 }), noseBridge: { x: 500, y: 390 } };
const run = (input: unknown) => tryOnLenses(contactLensTryOnInputSchema.parse(input));

describe('contact-lens recolour geometry', () => {
  it('takes the iris radius as the mean distance of its edge points, and a third of it as the clear pupil', () => {
    const paint = lensPaint({ irisCentre: { x: 100, y: 100 }, irisEdge: [{ x: 70, y: 100 }, { x: 132, y: 100 }, { x: 100, y: 69 }, { x: 100, y: 131 }], eyelid: opening({ x: 100, y: 100 }, 40) });
    expect(paint).toMatchObject({ centre: { x: 100, y: 100 }, radiusPx: 31, pupilRadiusPx: 10.23 });
  });

  it('measures how much of the iris the eyelids leave visible', () => {
    expect(lensPaint(eye({ x: 0, y: 0 }, 40)).visibleFraction).toBeGreaterThan(0.95);
    const squint = lensPaint(eye({ x: 0, y: 0 }, 10)).visibleFraction;
    expect(squint).toBeGreaterThan(0.2);
    expect(squint).toBeLessThan(0.45);
  });

  it('tells inside from outside the eyelid polygon', () => {
    const lid = opening({ x: 0, y: 0 }, 20);
    expect(insidePolygon({ x: 0, y: 0 }, lid)).toBe(true);
    expect(insidePolygon({ x: 0, y: 25 }, lid)).toBe(false); // under the lower lid
    expect(insidePolygon({ x: 70, y: 0 }, lid)).toBe(false);
  });
});

describe('contact-lens-try-on engine', () => {
  it('paints a listed lens on both eyes, left then right, with the default opacity', () => {
    const out = run({ face, lensId: 'ocean-blue' });
    expect(out).toMatchObject({ colour: '#2f7fd1', opacity: 0.6, warning: null });
    expect(out.eyes.map((e) => [e.centre.x, e.radiusPx])).toEqual([[660, 30], [340, 30]]);
    expect(out.eyes[0].eyelid).toHaveLength(16);
  });

  it("takes the brand's own colour, lower-cased, and its opacity", () => {
    expect(run({ face, colour: '#A0B0C0', opacity: 0.9 })).toMatchObject({ colour: '#a0b0c0', opacity: 0.9 });
  });

  it('warns when an eyelid covers most of an iris', () => {
    expect(run({ face: { ...face, leftEye: eye({ x: 660, y: 400 }, 6) }, lensId: 'hazel' }).warning).toMatch(/closed/);
  });

  it.each([
    ['both a lens and a colour', { face, lensId: 'hazel', colour: '#000000' }, 'colour'],
    ['neither a lens nor a colour', { face }, 'colour'],
    ['an unknown lens', { face, lensId: 'violet' }, 'lensId'],
    ['a colour name instead of hex', { face, colour: 'blue' }, 'colour'],
    ['an opacity above 1', { face, lensId: 'hazel', opacity: 1.5 }, 'opacity'],
    ['an iris with one edge point', { face: { ...face, rightEye: { ...eye({ x: 1, y: 1 }), irisEdge: [{ x: 0, y: 0 }] } }, lensId: 'hazel' }, 'face.rightEye.irisEdge'],
  ])('refuses %s, naming the field', (_name, input, path) => {
    expect(issuePaths(contactLensTryOnInputSchema, input)).toContain(path);
  });
});
