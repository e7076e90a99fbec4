// Does this frame fit this shopper? One verdict per dimension, then an overall call.
import { z } from 'zod';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { fitBridge, fitLensWidth, fitTemple, fitTotalWidth, type DimensionFit } from './fit-rules';
import { shopperMeasurementsSchema } from './shopper';

const frameSizeSchema = z.object({
  lensWidthMm: z.number().positive(),
  bridgeMm: z.number().positive(),
  templeMm: z.number().positive(),
  /** Not printed on the frame; when missing, the front-width check is skipped. */
  totalWidthMm: z.number().positive().optional(),
});

/**
 * Give either a catalog frameId or the frame's own sizes (as printed: lens-bridge-temple). The id
 * is checked against the catalog the run will read (the brand's, or the sample), so the check
 * belongs to the catalog: a run never fails on an id the schema let through.
 */
export function fitConsultationInputSchemaFor(catalog: FrameCatalog) {
  return z
    .object({
      shopper: shopperMeasurementsSchema,
      frameId: z.string().min(1).optional(),
      frame: frameSizeSchema.optional(),
    })
    .refine((i) => (i.frameId === undefined) !== (i.frame === undefined), { message: 'give exactly one of frameId or frame', path: ['frame'] })
    .refine((i) => i.frameId === undefined || catalog.find(i.frameId) !== undefined, { message: 'no frame in the catalog has this id', path: ['frameId'] });
}

export const fitConsultationInputSchema = fitConsultationInputSchemaFor(sampleCatalog);
export type FitConsultationInput = z.infer<typeof fitConsultationInputSchema>;

export type OverallFit = 'fits' | 'borderline' | 'does-not-fit';

export interface FitConsultationOutput {
  frame: { id: string | null; lensWidthMm: number; bridgeMm: number; templeMm: number; totalWidthMm: number | null };
  dimensions: DimensionFit[];
  overall: OverallFit; // borderline: exactly one dimension is off
  summary: string;
}

export function consultFit(input: FitConsultationInput, catalog: FrameCatalog = sampleCatalog): FitConsultationOutput {
  const { shopper } = input;
  const catalogFrame = input.frameId === undefined ? undefined : catalog.find(input.frameId);
  const size = catalogFrame ?? input.frame;
  if (!size) throw new Error('fit-consultation input was not validated: no frame'); // unreachable after the schema
  const totalWidthMm = size.totalWidthMm ?? null;

  const dimensions = [
    fitLensWidth(size.lensWidthMm, size.bridgeMm, shopper.pdMm),
    fitBridge(size.bridgeMm, shopper.noseBridgeMm),
    fitTemple(size.templeMm, shopper.faceWidthMm),
    ...(totalWidthMm === null ? [] : [fitTotalWidth(totalWidthMm, shopper.faceWidthMm)]),
  ];
  const off = dimensions.filter((d) => d.verdict !== 'good');
  const overall: OverallFit = off.length === 0 ? 'fits' : off.length === 1 ? 'borderline' : 'does-not-fit';
  const summary = {
    fits: `This ${size.lensWidthMm}-${size.bridgeMm}-${size.templeMm} frame fits on every measured dimension.`,
    borderline: `This ${size.lensWidthMm}-${size.bridgeMm}-${size.templeMm} frame mostly fits; check the ${off.map((d) => d.dimension).join(', ')}.`,
    'does-not-fit': `This ${size.lensWidthMm}-${size.bridgeMm}-${size.templeMm} frame is off on ${off.length} dimensions: ${off.map((d) => d.dimension).join(', ')}.`,
  }[overall];

  return {
    frame: { id: catalogFrame?.id ?? null, lensWidthMm: size.lensWidthMm, bridgeMm: size.bridgeMm, templeMm: size.templeMm, totalWidthMm },
    dimensions,
    overall,
    summary,
  };
}
