// Landmarks → millimetres, on the real landmarks of the runtime's own sample photo and on
// hand-made faces whose answer is known.
import faceid from '../../fixtures/landmarks/screenshot-faceid.json';
import facedetect from '../../fixtures/landmarks/screenshot-facedetect.json';
import { faceLandmarksInputSchema, type DetectedFace } from '../../../domain/engines/face-landmarks';
import { measurementsFromPhoto, pdFromPhoto, photoRefusal, photoScale, shapeLandmarks } from '../../../domain/engines/face-measures';
import { analyseFaceShape } from '../../../domain/engines/face-shape-analysis';

const real = faceLandmarksInputSchema.parse(faceid);
const face = real.face!;

/** A level, frontal face: irises 20 px across, centres 110 px apart, so 64.4 mm by the iris. */
function made(over: Partial<DetectedFace> = {}): DetectedFace {
  const iris = (x: number) => ({ center: { x, y: 100 }, diameterPx: 20, verticalDiameterPx: 20, contour: [{ x: x + 10, y: 100 }, { x, y: 90 }, { x: x - 10, y: 100 }, { x, y: 110 }] });
  const lid = Array.from({ length: 7 }, (_, i) => ({ x: i, y: 0 }));
  const p = (x: number, y: number) => ({ x, y });
  return {
    ...face,
    rollDeg: 0,
    yawDeg: 0,
    leftEye: { outer: p(330, 100), inner: p(270, 100), upperLid: lid, lowerLid: lid, iris: iris(300) },
    rightEye: { outer: p(130, 100), inner: p(170, 100), upperLid: lid, lowerLid: lid, iris: iris(190) },
    points: { ...face.points, templeLeft: p(380, 100), templeRight: p(80, 100) },
    ...over,
  };
}

describe('photoScale', () => {
  it('is 11.7 mm over the mean iris diameter, with the people-to-people spread in its uncertainty', () => {
    const scale = photoScale(made());
    expect(scale.mmPerPx).toBeCloseTo(0.585, 5);
    expect(scale.method).toBe('iris');
    // 0.5/11.7 = 4.3% from people, 0.5 px over two 20 px diameters ≈ 1.8% from the landmarks.
    expect(scale.relativeSd).toBeCloseTo(Math.hypot(0.5 / 11.7, 0.5 / Math.SQRT2 / 20), 6);
  });

  it('is 85.6 mm over the card width when the shopper marked a card', () => {
    const scale = photoScale(made(), { widthPx: 428 });
    expect(scale.method).toBe('card');
    expect(scale.mmPerPx).toBeCloseTo(0.2, 10);
  });
});

describe('pdFromPhoto', () => {
  it('measures between the iris centres', () => {
    expect(pdFromPhoto(made())).toMatchObject({ pdMm: 64.4, pupilDistancePx: 110, method: 'iris', plausible: true, warning: null });
  });

  it('states its uncertainty in mm: about ±3 mm from the iris, under ±0.5 mm from a card', () => {
    expect(pdFromPhoto(made()).uncertaintyMm).toBeCloseTo(3, 0);
    expect(pdFromPhoto(made(), { widthPx: 428 }).uncertaintyMm).toBeLessThan(0.5);
  });

  it('flags a turned head as not plausible, and says what to do', () => {
    const out = pdFromPhoto(made({ yawDeg: 25 }));
    expect(out.plausible).toBe(false);
    expect(out.warning).toContain('turned 25°');
  });

  it('flags a PD outside the adult range', () => {
    const out = pdFromPhoto(made(), { widthPx: 100 }); // 110 px × 0.856 = 94 mm
    expect(out).toMatchObject({ pdMm: 94.2, plausible: false });
    expect(out.warning).toContain('outside the usual adult range');
  });

  it('finds a plausible PD on the sample photo of one face', () => {
    const out = pdFromPhoto(face);
    expect(out.pdMm).toBeGreaterThanOrEqual(54);
    expect(out.pdMm).toBeLessThanOrEqual(74);
    expect(out.plausible).toBe(true);
  });
});

describe('measurementsFromPhoto', () => {
  it('gives the temple-to-temple face width on the same scale', () => {
    expect(measurementsFromPhoto(made())).toMatchObject({ pdMm: 64.4, faceWidthMm: 175.5, innerEyeDistanceMm: 58.5, method: 'iris', uncertaintyPct: 5 });
  });
});

describe('shapeLandmarks', () => {
  it('hands the classifier the mesh points it reads, and the sample face gets a shape', () => {
    const l = shapeLandmarks(face);
    expect(l.cheekboneLeft).toEqual(face.points.cheekboneLeft);
    expect(['oval', 'round', 'square', 'oblong', 'heart', 'diamond']).toContain(analyseFaceShape({ landmarks: l }).faceShape);
  });
});

describe('photoRefusal', () => {
  it('accepts one face of a usable size', () => {
    expect(photoRefusal(real)).toBeNull();
  });

  it('refuses no face, several faces, a tiny photo and a tiny face with their codes', () => {
    expect(photoRefusal({ ...real, faceCount: 0, face: undefined })?.code).toBe('FACE_NOT_FOUND');
    expect(photoRefusal(faceLandmarksInputSchema.parse(facedetect))?.code).toBe('MULTIPLE_FACES');
    expect(photoRefusal({ ...real, image: { width: 100, height: 90 } })?.code).toBe('PHOTO_TOO_SMALL');
    expect(photoRefusal({ ...real, face: { ...face, box: { ...face.box, width: 40 } } })?.code).toBe('PHOTO_TOO_SMALL');
  });
});
