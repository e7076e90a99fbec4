// The two try-on engines read the widget's landmark input (face-landmarks.ts): this turns its
// named points into what the placement and the lens geometry need.
import { z } from 'zod';
import { distance } from './geometry';
import { faceLandmarksInputSchema, type DetectedFace, type EyeLandmarks } from './face-landmarks';
import type { PlacementFace } from './frame-placement';
import type { LensEye } from './lens-recolour';

/**
 * The photo input every face app takes: `{ landmarks, …the app's own fields }`. A photo with no
 * face (or several, or too small) is refused by the run route before the debit; the schema
 * refuses a missing face too, so `run` always has one.
 */
export function withFace<T extends z.ZodRawShape>(own: T) {
  return z.object({
    landmarks: faceLandmarksInputSchema.refine((l) => l.face !== undefined, { message: 'no face was found in the photo', path: ['face'] }),
    ...own,
  });
}

export function placementFaceOf(face: DetectedFace): PlacementFace {
  return {
    eyes: [face.leftEye.iris.center, face.rightEye.iris.center],
    noseBridge: face.points.noseBridge,
    irisDiametersPx: [face.leftEye.iris.diameterPx, face.rightEye.iris.diameterPx],
    // Zygion to zygion: the widest part of the face, which a frame front is compared with.
    faceWidthPx: distance(face.points.cheekboneLeft, face.points.cheekboneRight),
  };
}

/** The eyelid opening as one polygon: outer corner, the upper lid, inner corner, the lower lid back. */
export function lensEyeOf(eye: EyeLandmarks): LensEye {
  return {
    irisCentre: eye.iris.center,
    // The horizontal diameter: the lids often cover the iris's top and bottom, never its sides.
    irisRadiusPx: eye.iris.diameterPx / 2,
    eyelid: [eye.outer, ...eye.upperLid, eye.inner, ...[...eye.lowerLid].reverse()],
  };
}
