// The photo variant of the face apps: `{ landmarks, card?, …the app's own options }` instead of
// measurements typed in. Each variant measures with face-measures.ts and hands the figures to the
// same engine a typed-in input reaches, so one engine decides every result. A photo the shopper
// must retake (no face, several, too small) fails the schema here too, so `run` never sees one;
// the run route checks photoRefusal first to answer with its own code before any debit.
import { z } from 'zod';
import type { FrameCatalog } from './catalog';
import { recommendEyewear, type EyewearRecommendationsOutput } from './eyewear-recommendations';
import { analyseFaceShape, type FaceShapeAnalysisOutput } from './face-shape-analysis';
import { cardReferenceSchema, faceLandmarksInputSchema } from './face-landmarks';
import { faceOf, measurementsFromPhoto, pdFromPhoto, photoRefusal, photoScale, shapeLandmarks, type PdFromPhoto, type PhotoMeasurements } from './face-measures';
import { consultFit, fitConsultationInputSchemaFor, type FitConsultationOutput } from './fit-consultation';
import { eyewearRecommendationsInputSchema } from './eyewear-recommendations';
import { consultStyle, styleConsultationInputSchema, type StyleConsultationOutput } from './style-consultation';

/** The apps whose widget opens the photo dialog. */
export const photoAppSlugs: ReadonlySet<string> = new Set(['pd-calculator', 'face-shape-analysis', 'fit-consultation', 'eyewear-recommendations', 'style-consultation', 'virtual-try-on', 'contact-lens-try-on']);

/**
 * A run input is a photo input when its `landmarks` are the landmark module's (kind
 * 'face-landmarks'); face-shape-analysis's typed-in input has a `landmarks` of its own, of eight points.
 */
export function isPhotoInput(input: unknown): input is { landmarks: unknown } {
  if (typeof input !== 'object' || input === null || !Object.hasOwn(input, 'landmarks')) return false;
  const landmarks = (input as { landmarks: unknown }).landmarks;
  return typeof landmarks === 'object' && landmarks !== null && (landmarks as { kind?: unknown }).kind === 'face-landmarks';
}

const usableLandmarks = faceLandmarksInputSchema.superRefine((l, ctx) => {
  const refusal = photoRefusal(l);
  if (refusal) ctx.addIssue({ code: 'custom', message: refusal.message, path: ['faceCount'], params: { code: refusal.code } });
});

const photoBase = z.object({
  landmarks: usableLandmarks,
  /** Set when the shopper held a card against the forehead and marked its edges: the better scale. */
  card: cardReferenceSchema.optional(),
});
type PhotoBase = z.infer<typeof photoBase>;

const face = (input: PhotoBase) => faceOf(input.landmarks);
const measured = (input: PhotoBase): PhotoMeasurements => measurementsFromPhoto(face(input), input.card);
const shape = (input: PhotoBase) => analyseFaceShape({ landmarks: shapeLandmarks(face(input)), mmPerPx: photoScale(face(input), input.card).mmPerPx });

export const pdPhotoSchema = photoBase;
export function pdFromPhotoInput(input: z.infer<typeof pdPhotoSchema>): PdFromPhoto & { source: 'photo' } {
  return { ...pdFromPhoto(face(input), input.card), source: 'photo' };
}

export const faceShapePhotoSchema = photoBase;
export function faceShapeFromPhotoInput(input: z.infer<typeof faceShapePhotoSchema>): FaceShapeAnalysisOutput & { source: 'photo' } {
  return { ...shape(input), source: 'photo' };
}

export function fitPhotoSchemaFor(catalog: FrameCatalog) {
  const frame = fitConsultationInputSchemaFor(catalog);
  // The frame part of the typed-in input, checked by the same rules against the same catalog.
  return photoBase.extend({ frameId: z.string().min(1).optional(), frame: z.unknown().optional() }).superRefine((i, ctx) => {
    const check = frame.safeParse({ shopper: { faceWidthMm: 140, pdMm: 63 }, frameId: i.frameId, frame: i.frame });
    if (!check.success) for (const issue of check.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}
type FitPhotoInput = z.infer<ReturnType<typeof fitPhotoSchemaFor>>;
export function fitFromPhotoInput(input: FitPhotoInput, catalog: FrameCatalog): FitConsultationOutput & { measurements: PhotoMeasurements; source: 'photo' } {
  const m = measured(input);
  const fit = consultFit(
    { shopper: { faceWidthMm: m.faceWidthMm, pdMm: m.pdMm }, frameId: input.frameId, frame: input.frame as Parameters<typeof consultFit>[0]['frame'] },
    catalog,
  );
  return { ...fit, measurements: m, source: 'photo' };
}

export const recommendationsPhotoSchema = photoBase.extend(eyewearRecommendationsInputSchema.pick({ preferences: true, limit: true }).shape);
export function recommendationsFromPhotoInput(
  input: z.infer<typeof recommendationsPhotoSchema>,
  catalog: FrameCatalog,
): EyewearRecommendationsOutput & { faceShape: string; measurements: PhotoMeasurements; source: 'photo' } {
  const m = measured(input);
  const faceShape = shape(input).faceShape;
  const out = recommendEyewear({ faceShape, shopper: { faceWidthMm: m.faceWidthMm, pdMm: m.pdMm }, preferences: input.preferences, limit: input.limit }, catalog);
  return { ...out, faceShape, measurements: m, source: 'photo' };
}

export const stylePhotoSchema = photoBase.extend(styleConsultationInputSchema.pick({ preferences: true, sampleCount: true }).shape);
export function styleFromPhotoInput(input: z.infer<typeof stylePhotoSchema>, catalog: FrameCatalog): StyleConsultationOutput & { measurements: PhotoMeasurements; source: 'photo' } {
  const m = measured(input);
  const out = consultStyle(
    { faceShape: shape(input).faceShape, preferences: input.preferences, shopper: { faceWidthMm: m.faceWidthMm, pdMm: m.pdMm }, sampleCount: input.sampleCount },
    catalog,
  );
  return { ...out, measurements: m, source: 'photo' };
}
