// Landmarks → millimetres: the one place a photo's landmarks become a shopper's measurements. The
// scale comes from the iris (its visible diameter is about the same in every adult) or, better,
// from a card of known width held in the plane of the eyes. Pure: the engines call it.
import type { FaceLandmarks } from './face-shape-analysis';
import { minFaceWidthPx, minPhotoSidePx, type DetectedFace, type FaceLandmarksInput } from './face-landmarks';
import { cardWidthMm, irisDiameterMm, plausiblePdMm } from './pd-calculator';
import type { Point } from './schemas';
import { distance, round } from './geometry';

/** Population spread (one standard deviation) of the adult visible iris diameter, mm. */
export const irisDiameterSdMm = 0.5;
/** How far a landmark may sit from the true edge, px, as measured on the package's sample photos. */
export const landmarkErrorPx = 0.5;
/** Beyond this the head is turned enough that widths shrink by more than ~3%. */
export const maxFrontalYawDeg = 15;

export type PhotoRefusalCode = 'FACE_NOT_FOUND' | 'MULTIPLE_FACES' | 'PHOTO_TOO_SMALL';

/** Why this photo cannot be measured, in words a shopper understands; null when it can. */
export function photoRefusal(input: FaceLandmarksInput): { code: PhotoRefusalCode; message: string } | null {
  if (Math.min(input.image.width, input.image.height) < minPhotoSidePx) {
    return { code: 'PHOTO_TOO_SMALL', message: `The photo is too small. Please use a photo at least ${minPhotoSidePx} pixels on each side.` };
  }
  if (input.faceCount === 0 || !input.face) {
    return { code: 'FACE_NOT_FOUND', message: 'We could not find a face in this photo. Please face the camera in good light and try again.' };
  }
  if (input.faceCount > 1) {
    return { code: 'MULTIPLE_FACES', message: 'We found more than one face in this photo. Please use a photo with only your face.' };
  }
  if (input.face.box.width < minFaceWidthPx) {
    return { code: 'PHOTO_TOO_SMALL', message: 'Your face is too small in this photo. Please move closer to the camera and try again.' };
  }
  return null;
}

/** The face of an input photoRefusal accepted. */
export function faceOf(input: FaceLandmarksInput): DetectedFace {
  if (!input.face) throw new Error('face landmarks were not checked with photoRefusal'); // unreachable after the check
  return input.face;
}

export interface PhotoScale {
  mmPerPx: number;
  method: 'iris' | 'card';
  /** One standard deviation of the scale, relative (0.05 = ±5%). */
  relativeSd: number;
}

/**
 * mm per photo pixel at the plane of the eyes. Iris: 11.7 mm over the mean of both horizontal iris
 * diameters; its uncertainty adds the people-to-people spread to the landmark error of two
 * diameters. Card: 85.6 mm over its measured width, with the landmark error of its two edges.
 */
export function photoScale(face: DetectedFace, card?: { widthPx: number }): PhotoScale {
  if (card) {
    return { mmPerPx: cardWidthMm / card.widthPx, method: 'card', relativeSd: landmarkErrorPx / card.widthPx };
  }
  const diameterPx = (face.leftEye.iris.diameterPx + face.rightEye.iris.diameterPx) / 2;
  const measureSd = landmarkErrorPx / Math.SQRT2 / diameterPx;
  return { mmPerPx: irisDiameterMm / diameterPx, method: 'iris', relativeSd: Math.hypot(irisDiameterSdMm / irisDiameterMm, measureSd) };
}

export interface PdFromPhoto {
  pdMm: number; // 1 decimal
  uncertaintyMm: number; // one standard deviation, 1 decimal
  mmPerPx: number; // 5 decimals
  pupilDistancePx: number; // 1 decimal
  method: 'iris' | 'card';
  plausible: boolean;
  warning: string | null;
}

/** PD between the iris centres (the pupils), with the uncertainty of scale and both centres. */
export function pdFromPhoto(face: DetectedFace, card?: { widthPx: number }): PdFromPhoto {
  const scale = photoScale(face, card);
  const pupilDistancePx = distance(face.leftEye.iris.center, face.rightEye.iris.center);
  const pdMm = pupilDistancePx * scale.mmPerPx;
  const relative = Math.hypot(scale.relativeSd, landmarkErrorPx / pupilDistancePx);
  const uncertaintyMm = round(pdMm * relative, 1);
  const rounded = round(pdMm, 1);
  const plausible = rounded >= plausiblePdMm.min && rounded <= plausiblePdMm.max && Math.abs(face.yawDeg) <= maxFrontalYawDeg;
  const warnings: string[] = [];
  if (rounded < plausiblePdMm.min || rounded > plausiblePdMm.max) warnings.push(`PD ${rounded} mm is outside the usual adult range of ${plausiblePdMm.min}–${plausiblePdMm.max} mm`);
  if (Math.abs(face.yawDeg) > maxFrontalYawDeg) warnings.push(`the head is turned ${Math.abs(face.yawDeg)}° from the camera`);
  return {
    pdMm: rounded,
    uncertaintyMm,
    mmPerPx: round(scale.mmPerPx, 5),
    pupilDistancePx: round(pupilDistancePx, 1),
    method: scale.method,
    plausible,
    warning: warnings.length === 0 ? null : `${warnings.join('; ')}: look straight into the camera and retake the photo${scale.method === 'iris' ? ', or hold a card against your forehead' : ''}`,
  };
}

/** The eight points the face shape classifier reads, from their mesh landmarks (face-landmarks.ts). */
export function shapeLandmarks(face: DetectedFace): FaceLandmarks {
  const p = face.points;
  return {
    hairline: p.hairline,
    chin: p.chin,
    foreheadLeft: p.foreheadLeft,
    foreheadRight: p.foreheadRight,
    cheekboneLeft: p.cheekboneLeft,
    cheekboneRight: p.cheekboneRight,
    jawLeft: p.jawLeft,
    jawRight: p.jawRight,
  };
}

const mm = (a: Point, b: Point, mmPerPx: number) => round(distance(a, b) * mmPerPx, 1);

export interface PhotoMeasurements {
  pdMm: number;
  /** Temple to temple (mesh 356–127), where a frame's front must reach. */
  faceWidthMm: number;
  /** Between the inner eye corners (362–133): the space the frame's bridge and lenses share. */
  innerEyeDistanceMm: number;
  method: 'iris' | 'card';
  uncertaintyPct: number; // the scale's, one standard deviation, integer percent
}

export function measurementsFromPhoto(face: DetectedFace, card?: { widthPx: number }): PhotoMeasurements {
  const scale = photoScale(face, card);
  return {
    pdMm: pdFromPhoto(face, card).pdMm,
    faceWidthMm: mm(face.points.templeLeft, face.points.templeRight, scale.mmPerPx),
    innerEyeDistanceMm: mm(face.leftEye.inner, face.rightEye.inner, scale.mmPerPx),
    method: scale.method,
    uncertaintyPct: Math.round(scale.relativeSd * 100),
  };
}
