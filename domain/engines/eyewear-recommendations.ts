// Ranks the catalog for one shopper. The score is out of 100 and every point has a reason:
//   face shape 40 (recommended 40, neutral 20, avoided 0), front width vs face width 20,
//   frame PD vs PD 20, material 10, colour 10. A factor the shopper did not give scores half,
//   so missing data neither lifts nor sinks a frame. The price range is a hard filter.
import { z } from 'zod';
import type { Frame } from './frame';
import { colourSchema, faceShapeSchema, materialSchema } from './frame';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { fitLensWidth, fitTotalWidth } from './fit-rules';
import { shapeGuide, shapeVerdict } from './shape-guide';
import { shopperMeasurementsSchema } from './shopper';
import { inRange, priceRangeSchema } from './schemas';

export const eyewearRecommendationsInputSchema = z.object({
  faceShape: faceShapeSchema.optional(),
  shopper: shopperMeasurementsSchema.pick({ faceWidthMm: true, pdMm: true }).partial().default({}),
  preferences: z
    .object({
      materials: z.array(materialSchema).min(1).optional(),
      colours: z.array(colourSchema).min(1).optional(),
      priceCents: priceRangeSchema.optional(), // [min, max): frames outside are not considered
    })
    .default({}),
  limit: z.number().int().min(1).max(50).default(10),
});
export type EyewearRecommendationsInput = z.infer<typeof eyewearRecommendationsInputSchema>;

export interface Recommendation {
  frame: Frame;
  score: number; // 0–100
  reasons: string[];
}

export interface EyewearRecommendationsOutput {
  considered: number; // frames inside the price range
  recommendations: Recommendation[];
}

// A front within twice the fit tolerance is near enough for partial credit.
const nearWidthMm = 12;

export function scoreFrame(frame: Frame, input: EyewearRecommendationsInput): Recommendation {
  const { faceShape, shopper, preferences } = input;
  const reasons: string[] = [];
  let score = 0;

  if (faceShape === undefined) score += 20;
  else {
    const verdict = shapeVerdict(faceShape, frame.shape);
    const advice = shapeGuide[faceShape];
    score += { recommended: 40, neutral: 20, avoided: 0 }[verdict];
    reasons.push(
      {
        recommended: `${frame.shape} frames suit a ${faceShape} face: ${advice.recommendedBecause}`,
        neutral: `${frame.shape} frames are neither recommended nor avoided for a ${faceShape} face`,
        avoided: `${frame.shape} frames are best avoided on a ${faceShape} face: ${advice.avoidedBecause}`,
      }[verdict],
    );
  }

  if (shopper.faceWidthMm === undefined) score += 10;
  else {
    const width = fitTotalWidth(frame.totalWidthMm, shopper.faceWidthMm);
    const near = Math.abs(frame.totalWidthMm - shopper.faceWidthMm) <= nearWidthMm;
    score += width.verdict === 'good' ? 20 : near ? 10 : 0;
    reasons.push(width.reason);
  }

  if (shopper.pdMm === undefined) score += 10;
  else {
    const lens = fitLensWidth(frame.lensWidthMm, frame.bridgeMm, shopper.pdMm);
    score += lens.verdict === 'good' ? 20 : 0;
    reasons.push(lens.reason);
  }

  if (!preferences.materials) score += 5;
  else if (preferences.materials.includes(frame.material)) {
    score += 10;
    reasons.push(`${frame.material}, a preferred material`);
  } else reasons.push(`${frame.material} is not a preferred material`);

  if (!preferences.colours) score += 5;
  else if (preferences.colours.includes(frame.colour)) {
    score += 10;
    reasons.push(`${frame.colour}, a preferred colour`);
  } else reasons.push(`${frame.colour} is not a preferred colour`);

  return { frame, score, reasons };
}

export function recommendEyewear(input: EyewearRecommendationsInput, catalog: FrameCatalog = sampleCatalog): EyewearRecommendationsOutput {
  const candidates = catalog.frames.filter((f) => inRange(f.priceCents, input.preferences.priceCents));
  const ranked = candidates
    .map((f) => scoreFrame(f, input))
    // Equal scores: the cheaper frame first, then the id, so the order never depends on the engine.
    .sort((a, b) => b.score - a.score || a.frame.priceCents - b.frame.priceCents || (a.frame.id < b.frame.id ? -1 : 1));
  return { considered: candidates.length, recommendations: ranked.slice(0, input.limit) };
}
