import { sampleCatalog, catalogOf } from '../../../domain/engines/catalog';
import { frameCatalog } from '../../../domain/engines/frame-catalog';
import { placeFrame } from '../../../domain/engines/frame-placement';
import { tryOnFrame, virtualTryOnInputSchemaFor } from '../../../domain/engines/virtual-try-on';
import { issuePaths } from './issue-paths';

// 11.7 mm over 58.5 px: 0.2 mm per pixel, so a 140 mm frame front is 700 px wide.
const irisEdge = (c: { x: number; y: number }, r = 29.25) => [
  { x: c.x - r, y: c.y }, { x: c.x + r, y: c.y }, { x: c.x, y: c.y - r }, { x: c.x, y: c.y + r },
];
const eyelid = (c: { x: number; y: number }) => Array.from({ length: 16 }, (_, i) => ({ x: c.x + 60 * Math.cos((i * Math.PI) / 8), y: c.y + 25 * Math.sin((i * Math.PI) / 8) }));
const eye = (c: { x: number; y: number }) => ({ irisCentre: c, irisEdge: irisEdge(c), eyelid: eyelid(c) });
const face = (left = { x: 660, y: 400 }, right = { x: 340, y: 400 }, noseBridge = { x: 500, y: 390 }) => ({ leftEye: eye(left), rightEye: eye(right), noseBridge });
const frame = frameCatalog[0]!;
const run = (input: unknown, catalog = sampleCatalog) => tryOnFrame(virtualTryOnInputSchemaFor(catalog).parse(input) as never, catalog);

describe('virtual-try-on placement', () => {
  it('centres a level frame between the eyes, on the eye line, at the iris scale', () => {
    const p = placeFrame({ eyes: [{ x: 340, y: 400 }, { x: 660, y: 400 }], noseBridge: { x: 500, y: 380 }, irisDiametersPx: [58.5, 58.5] }, 140);
    expect(p).toEqual({ centre: { x: 500, y: 400 }, widthPx: 700, rollDeg: 0, mmPerPx: 0.2, faceWidthMm: null });
  });

  it('moves the centre half way towards the nose bridge along the eye line (a turned head)', () => {
    const p = placeFrame({ eyes: [{ x: 340, y: 400 }, { x: 660, y: 400 }], noseBridge: { x: 540, y: 370 }, irisDiametersPx: [58.5, 58.5] }, 140);
    expect(p.centre).toEqual({ x: 520, y: 400 });
  });

  it('rolls with the eye line: 45° when the right-hand eye is as much lower as it is further', () => {
    const p = placeFrame({ eyes: [{ x: 400, y: 300 }, { x: 300, y: 200 }], noseBridge: { x: 350, y: 250 }, irisDiametersPx: [58.5, 58.5] }, 140);
    expect(p).toMatchObject({ centre: { x: 350, y: 250 }, rollDeg: 45 });
  });

  it('scales the frame by the mean iris: a twice as large face gets a twice as wide frame', () => {
    const small = placeFrame({ eyes: [{ x: 0, y: 0 }, { x: 320, y: 0 }], noseBridge: { x: 160, y: 0 }, irisDiametersPx: [50, 67] }, 130);
    const large = placeFrame({ eyes: [{ x: 0, y: 0 }, { x: 640, y: 0 }], noseBridge: { x: 320, y: 0 }, irisDiametersPx: [100, 134] }, 130);
    expect(small.widthPx).toBe(650);
    expect(large.widthPx).toBe(1300);
  });

  it('reports the face width in mm at the same scale when the face width is sent', () => {
    const p = placeFrame({ eyes: [{ x: 0, y: 0 }, { x: 320, y: 0 }], noseBridge: { x: 160, y: 0 }, irisDiametersPx: [58.5, 58.5], faceWidthPx: 690 }, 140);
    expect(p.faceWidthMm).toBe(138);
  });
});

describe('virtual-try-on engine', () => {
  it('places the catalog frame and names its drawing', () => {
    const out = run({ face: { ...face(), faceWidthPx: 700 }, frameId: frame.id });
    expect(out.placement).toMatchObject({ centre: { x: 500, y: 400 }, widthPx: frame.totalWidthMm * 5, rollDeg: 0, mmPerPx: 0.2, faceWidthMm: 140 });
    expect(out.frame).toMatchObject({ id: frame.id, totalWidthMm: frame.totalWidthMm });
    expect(out.frame.imageUrl).toBe(`/widget/frames/${frame.shape}_${frame.colour}_${frame.material}_${frame.lensWidthMm}-${frame.bridgeMm}-${frame.totalWidthMm}.svg`);
    expect(out.frameToFaceWidth).toBe(Math.round((frame.totalWidthMm / 140) * 100) / 100);
  });

  it('gives the same placement whichever eye is called left', () => {
    const a = run({ face: face({ x: 660, y: 410 }, { x: 340, y: 400 }), frameId: frame.id });
    const b = run({ face: face({ x: 340, y: 400 }, { x: 660, y: 410 }), frameId: frame.id });
    expect(a).toEqual(b);
  });

  it("reads the brand's catalog: a brand frame is found, a sample id is not", () => {
    const brand = catalogOf([{ ...frame, id: 'SKU-1', totalWidthMm: 150 }], 'brand');
    expect(run({ face: face(), frameId: 'SKU-1' }, brand).placement.widthPx).toBe(750);
    
    expect(issuePaths(virtualTryOnInputSchemaFor(brand), { face: face(), frameId: frame.id })).toEqual(['frameId']);
  });

  it.each([
    ['no frame id', { face: face() }, 'frameId'],
    ['an unknown frame', { face: face(), frameId: 'nope' }, 'frameId'],
    ['an eyelid of three points', { face: { ...face(), leftEye: { ...eye({ x: 1, y: 1 }), eyelid: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }] } }, frameId: frame.id }, 'face.leftEye.eyelid'],
    ['no nose bridge', { face: { leftEye: eye({ x: 1, y: 1 }), rightEye: eye({ x: 5, y: 1 }) }, frameId: frame.id }, 'face.noseBridge'],
  ])('refuses %s, naming the field', (_name, input, path) => {
    expect(issuePaths(virtualTryOnInputSchemaFor(sampleCatalog), input)).toContain(path);
  });
});
