// The catalog filters shared by frame-finder, eyewear-recommendations and style-consultation.
// A missing filter matches everything; a list matches any of its values; ranges are [min, max).
import { z } from 'zod';
import type { Frame } from './frame';
import { colourSchema, frameShapeSchema, materialSchema } from './frame';
import { inRange, mmRangeSchema, priceRangeSchema } from './schemas';

// An empty list is refused rather than read as "any", which would be a silent guess.
export const frameFilterFields = {
  shapes: z.array(frameShapeSchema).min(1).optional(),
  materials: z.array(materialSchema).min(1).optional(),
  colours: z.array(colourSchema).min(1).optional(),
  priceCents: priceRangeSchema.optional(),
  lensWidthMm: mmRangeSchema.optional(),
  bridgeMm: mmRangeSchema.optional(),
  templeMm: mmRangeSchema.optional(),
  totalWidthMm: mmRangeSchema.optional(),
};

export const frameFilterSchema = z.object(frameFilterFields);
export type FrameFilter = z.infer<typeof frameFilterSchema>;

export function matchesFrameFilter(frame: Frame, filter: FrameFilter): boolean {
  return (
    (!filter.shapes || filter.shapes.includes(frame.shape)) &&
    (!filter.materials || filter.materials.includes(frame.material)) &&
    (!filter.colours || filter.colours.includes(frame.colour)) &&
    inRange(frame.priceCents, filter.priceCents) &&
    inRange(frame.lensWidthMm, filter.lensWidthMm) &&
    inRange(frame.bridgeMm, filter.bridgeMm) &&
    inRange(frame.templeMm, filter.templeMm) &&
    inRange(frame.totalWidthMm, filter.totalWidthMm)
  );
}
