// Style advice for a face shape: which frame shapes to look at and which to skip, why, and a few
// catalog frames to start from. Shapes the shopper likes are honoured, and flagged if avoided.
import { z } from 'zod';
import type { FaceShape, Frame, FrameShape } from './frame';
import { colourSchema, faceShapeSchema, frameShapeSchema, materialSchema } from './frame';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { compareFrames } from './frame-finder';
import { matchesFrameFilter } from './frame-filter';
import { fitLensWidth, fitTotalWidth } from './fit-rules';
import { shapeGuide, shapeVerdict } from './shape-guide';
import { shopperMeasurementsSchema } from './shopper';
import { priceRangeSchema } from './schemas';

export const styleConsultationInputSchema = z.object({
  faceShape: faceShapeSchema,
  preferences: z
    .object({
      shapes: z.array(frameShapeSchema).min(1).optional(), // shapes the shopper likes
      materials: z.array(materialSchema).min(1).optional(),
      colours: z.array(colourSchema).min(1).optional(),
      priceCents: priceRangeSchema.optional(),
    })
    .default({}),
  /** When given, sample frames must also fit: front width against face width, frame PD against PD. */
  shopper: shopperMeasurementsSchema.pick({ faceWidthMm: true, pdMm: true }).partial().default({}),
  sampleCount: z.number().int().min(0).max(12).default(6),
});
export type StyleConsultationInput = z.infer<typeof styleConsultationInputSchema>;

export interface ShapeReason {
  shape: FrameShape;
  reason: string;
}

export interface StyleConsultationOutput {
  faceShape: FaceShape;
  recommended: ShapeReason[]; // liked shapes first, then the guide's order
  avoided: ShapeReason[];
  notes: string[];
  sampleFrames: Frame[]; // round-robin over the recommended shapes, cheapest first within a shape
}

export function consultStyle(input: StyleConsultationInput, catalog: FrameCatalog = sampleCatalog): StyleConsultationOutput {
  const { faceShape, preferences } = input;
  const advice = shapeGuide[faceShape];
  const liked = preferences.shapes ?? [];
  const recommendedShapes = [...advice.recommended.filter((s) => liked.includes(s)), ...advice.recommended.filter((s) => !liked.includes(s))];

  const notes: string[] = [];
  for (const shape of liked) {
    const verdict = shapeVerdict(faceShape, shape);
    if (verdict === 'avoided') notes.push(`You like ${shape} frames, but on a ${faceShape} face ${advice.avoidedBecause}.`);
    if (verdict === 'neutral') notes.push(`You like ${shape} frames; they neither help nor hurt a ${faceShape} face.`);
  }

  const { faceWidthMm, pdMm } = input.shopper;
  const fits = (f: Frame) =>
    (faceWidthMm === undefined || fitTotalWidth(f.totalWidthMm, faceWidthMm).verdict === 'good') &&
    (pdMm === undefined || fitLensWidth(f.lensWidthMm, f.bridgeMm, pdMm).verdict === 'good');
  const filter = { materials: preferences.materials, colours: preferences.colours, priceCents: preferences.priceCents };
  const byShape = recommendedShapes.map((shape) =>
    catalog.frames.filter((f) => f.shape === shape && matchesFrameFilter(f, filter) && fits(f)).sort(compareFrames('price-asc')),
  );
  const sampleFrames: Frame[] = [];
  for (let rank = 0; sampleFrames.length < input.sampleCount && byShape.some((frames) => frames.length > rank); rank += 1) {
    for (const frames of byShape) {
      const frame = frames[rank];
      if (frame && sampleFrames.length < input.sampleCount) sampleFrames.push(frame);
    }
  }
  if (input.sampleCount > 0 && sampleFrames.length === 0) {
    notes.push('No catalog frame in a recommended shape matches the preferences and measurements; try widening the preferences.');
  }

  return {
    faceShape,
    recommended: recommendedShapes.map((shape) => ({ shape, reason: `${shape} frames suit a ${faceShape} face: ${advice.recommendedBecause}` })),
    avoided: advice.avoided.map((shape) => ({ shape, reason: `${shape} frames are best avoided on a ${faceShape} face: ${advice.avoidedBecause}` })),
    notes,
    sampleFrames,
  };
}
