import { readFileSync } from 'node:fs';
import { sampleCatalog, catalogOf } from '../../../domain/engines/catalog';
import { frameCatalog } from '../../../domain/engines/frame-catalog';
import { placeFrame } from '../../../domain/engines/frame-placement';
import { tryOnFrames, virtualTryOnInputSchemaFor } from '../../../domain/engines/virtual-try-on';
import { issuePaths } from './issue-paths';
import { syntheticFace } from './synthetic-face';

const frame = frameCatalog[0]!;
const run = (input: unknown, catalog = sampleCatalog) => tryOnFrames(virtualTryOnInputSchemaFor(catalog).parse(input) as never, catalog);
const fixture = (name: string) => JSON.parse(readFileSync(`${__dirname}/../../fixtures/landmarks/${name}.json`, 'utf8'));

// 11.7 mm over 58.5 px: 0.2 mm per pixel, so a 140 mm frame front is 700 px wide.
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

  it('reports the face width in mm at the same scale', () => {
    const p = placeFrame({ eyes: [{ x: 0, y: 0 }, { x: 320, y: 0 }], noseBridge: { x: 160, y: 0 }, irisDiametersPx: [58.5, 58.5], faceWidthPx: 690 }, 140);
    expect(p.faceWidthMm).toBe(138);
  });
});

describe('virtual-try-on engine', () => {
  it('places each asked frame and names its drawing', () => {
    const out = run({ landmarks: syntheticFace({ cheekboneWidthPx: 700 }), frameIds: [frame.id, frameCatalog[1]!.id] });
    expect(out.frames.map((f) => f.frame.id)).toEqual([frame.id, frameCatalog[1]!.id]);
    expect(out.frames[0]!.placement).toEqual({ centre: { x: 500, y: 400 }, widthPx: frame.totalWidthMm * 5, rollDeg: 0, mmPerPx: 0.2, faceWidthMm: 140 });
    expect(out.frames[0]!.frame.imageUrl).toBe(`/widget/frames/${frame.shape}_${frame.colour}_${frame.material}_${frame.lensWidthMm}-${frame.bridgeMm}-${frame.totalWidthMm}.svg`);
    expect(out.frames[0]!.frameToFaceWidth).toBe(Math.round((frame.totalWidthMm / 140) * 100) / 100);
  });

  it('places six frames of six shapes when no list is sent', () => {
    const out = run({ landmarks: syntheticFace() });
    expect(out.frames).toHaveLength(6);
    expect(new Set(out.frames.map((f) => f.frame.shape)).size).toBe(6);
  });

  it("shows the product page's frame first, then other shapes", () => {
    const asked = frameCatalog.find((f) => f.shape === 'aviator')!;
    const out = run({ landmarks: syntheticFace(), frameId: asked.id });
    expect(out.frames[0]!.frame.id).toBe(asked.id);
    expect(out.frames).toHaveLength(6);
    expect(new Set(out.frames.map((f) => f.frame.shape)).size).toBe(6);
  });

  it('gives the same placement whichever way the head is mirrored', () => {
    const a = run({ landmarks: syntheticFace({ left: { x: 660, y: 410 }, right: { x: 340, y: 400 } }), frameIds: [frame.id] });
    const b = run({ landmarks: syntheticFace({ left: { x: 340, y: 400 }, right: { x: 660, y: 410 } }), frameIds: [frame.id] });
    expect(a.frames[0]!.placement).toEqual(b.frames[0]!.placement);
  });

  it.each(['screenshot-faceid', 'screenshot-facedetect'])('puts the frame between the eyes of the real face in %s, within 40 % of the face width', (name) => {
    const input = fixture(name);
    const { placement } = run({ landmarks: input }).frames[0]!;
    const { leftEye, rightEye, points } = input.face;
    expect(placement.centre.x).toBeGreaterThan(Math.min(leftEye.iris.center.x, rightEye.iris.center.x));
    expect(placement.centre.x).toBeLessThan(Math.max(leftEye.iris.center.x, rightEye.iris.center.x));
    expect(Math.abs(placement.centre.x - points.noseBridge.x)).toBeLessThan(Math.abs(leftEye.iris.center.x - rightEye.iris.center.x) / 4);
    expect(Math.abs(placement.rollDeg - input.face.rollDeg)).toBeLessThan(5);
    const faceWidthPx = Math.abs(points.cheekboneLeft.x - points.cheekboneRight.x);
    expect(placement.widthPx / faceWidthPx).toBeGreaterThan(0.6);
    expect(placement.widthPx / faceWidthPx).toBeLessThan(1.4);
  });

  it("reads the brand's catalog: a brand frame is found, a sample id is not", () => {
    const brand = catalogOf([{ ...frame, id: 'SKU-1', totalWidthMm: 150 }], 'brand');
    expect(run({ landmarks: syntheticFace(), frameIds: ['SKU-1'] }, brand).frames[0]!.placement.widthPx).toBe(750);
    expect(issuePaths(virtualTryOnInputSchemaFor(brand), { landmarks: syntheticFace(), frameIds: [frame.id] })).toEqual(['frameIds.0']);
  });

  it.each([
    ['an unknown frame', { landmarks: syntheticFace(), frameIds: ['nope'] }, 'frameIds.0'],
    ['both a frame and a list', { landmarks: syntheticFace(), frameId: frame.id, frameIds: [frame.id] }, 'frameIds'],
    ['an unknown product frame', { landmarks: syntheticFace(), frameId: 'nope' }, 'frameId'],
    ['an empty frame list', { landmarks: syntheticFace(), frameIds: [] }, 'frameIds'],
    ['thirteen frames', { landmarks: syntheticFace(), frameIds: frameCatalog.slice(0, 13).map((f) => f.id) }, 'frameIds'],
    ['a photo without a face', { landmarks: { kind: 'face-landmarks', version: 1, image: { width: 800, height: 600 }, faceCount: 0 } }, 'landmarks.face'],
    ['landmarks without a nose bridge', { landmarks: (() => { const f = syntheticFace(); delete (f.face!.points as Partial<NonNullable<typeof f.face>["points"]>).noseBridge; return f; })() }, 'landmarks.face.points.noseBridge'],
  ])('refuses %s, naming the field', (_name, input, path) => {
    expect(issuePaths(virtualTryOnInputSchemaFor(sampleCatalog), input)).toContain(path);
  });
});
