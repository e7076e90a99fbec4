// What a shopper's browser sends instead of a photo: the landmarks of the face it found, named, in
// photo pixels (x right, y down, 0.1 px). The landmark module (api/widget/landmarks.js) fills it
// from @vladmandic/human's MediaPipe face mesh (468 points) plus its iris model (10 more); the
// photo itself never leaves the browser. The engines turn it into measurements
// (face-measures.ts); the run route refuses an unusable photo from it before any debit.
//
// Mesh indices behind each name (MediaPipe's canonical numbering; left/right are the SUBJECT's, so
// the left eye is on the image's right in an unmirrored photo):
//   hairline 10 (top of the forehead on the mesh, just under the hairline), chin 152 (menton),
//   noseBridge 168 (between the eyes, where a frame's bridge sits), noseTip 1,
//   foreheadLeft/Right 284/54 (the forehead's sides), templeLeft/Right 356/127 (where the temples
//   of a frame pass; the face width a frame must span), cheekboneLeft/Right 454/234 (the widest
//   points of the face contour, zygions), jawLeft/Right 397/172 (the jaw angles, gonions);
//   eyes: outer corner 263/33, inner corner 362/133, upper lid 466 388 387 386 385 384 398 /
//   246 161 160 159 158 157 173, lower lid 249 390 373 374 380 381 382 / 7 163 144 145 153 154 155
//   (outer to inner), iris centre 468/473 and iris contour 469–472/474–477 (as the runtime numbers
//   them: the left iris first, the reverse of MediaPipe's own order).
import { z } from 'zod';
import { pointSchema } from './schemas';

/** Photos smaller than this (shorter side) are refused: the mesh needs a face of some size. */
export const minPhotoSidePx = 120;
/** A face narrower than this (box width) gives irises of ~5 px, too coarse to measure from. */
export const minFaceWidthPx = 80;

const lidSchema = z.array(pointSchema).length(7);

export const irisSchema = z.object({
  center: pointSchema,
  /** The horizontal visible iris diameter: the eyelids cover its top and bottom more often than its sides. */
  diameterPx: z.number().nonnegative(),
  verticalDiameterPx: z.number().nonnegative(),
  /** Four points on the iris edge, as the iris model gives them. */
  contour: z.array(pointSchema).length(4),
});

export const eyeLandmarksSchema = z.object({
  outer: pointSchema,
  inner: pointSchema,
  upperLid: lidSchema,
  lowerLid: lidSchema,
  iris: irisSchema,
});

export const facePointsSchema = z.object({
  hairline: pointSchema,
  chin: pointSchema,
  noseBridge: pointSchema,
  noseTip: pointSchema,
  foreheadLeft: pointSchema,
  foreheadRight: pointSchema,
  templeLeft: pointSchema,
  templeRight: pointSchema,
  cheekboneLeft: pointSchema,
  cheekboneRight: pointSchema,
  jawLeft: pointSchema,
  jawRight: pointSchema,
});

export const detectedFaceSchema = z.object({
  score: z.number().min(0).max(1),
  box: z.object({ x: z.number(), y: z.number(), width: z.number().nonnegative(), height: z.number().nonnegative() }),
  /** Head roll (the eye line against the horizontal) and yaw (turned left/right), degrees. */
  rollDeg: z.number().min(-180).max(180),
  yawDeg: z.number().min(-180).max(180),
  points: facePointsSchema,
  leftEye: eyeLandmarksSchema,
  rightEye: eyeLandmarksSchema,
});

/**
 * The landmark input: the largest face's landmarks and how many faces the photo had. faceCount 0
 * has no face; more than one is refused (MULTIPLE_FACES) even though the largest is sent, so the
 * shopper is told rather than measured on a guess. About 1.8 KB as JSON, well under the run
 * route's 16 KB input limit.
 */
export const faceLandmarksInputSchema = z
  .object({
    kind: z.literal('face-landmarks'),
    version: z.literal(1),
    image: z.object({ width: z.number().int().positive().max(20_000), height: z.number().int().positive().max(20_000) }),
    faceCount: z.number().int().nonnegative().max(100),
    face: detectedFaceSchema.optional(),
  })
  .refine((i) => (i.faceCount === 0) === (i.face === undefined), { message: 'face is sent exactly when faceCount is above 0', path: ['face'] });

export type FaceLandmarksInput = z.infer<typeof faceLandmarksInputSchema>;
export type DetectedFace = z.infer<typeof detectedFaceSchema>;
export type EyeLandmarks = z.infer<typeof eyeLandmarksSchema>;

/** A card the shopper held flat against the forehead, its long edge measured in photo pixels. */
export const cardReferenceSchema = z.object({ widthPx: z.number().min(10, 'the card must be at least 10 px wide') });
