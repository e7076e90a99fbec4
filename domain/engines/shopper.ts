// A shopper's measurements, in millimetres. The bounds only refuse values no human face has
// (they admit children), so a unit mix-up such as pixels or centimetres fails validation.
import { z } from 'zod';

export const shopperMeasurementsSchema = z.object({
  /** Temple to temple, the widest part of the face where a frame sits. */
  faceWidthMm: z.number().min(90).max(200),
  pdMm: z.number().min(40).max(90),
  /** Width of the nose where the frame bridge rests, when the shopper measured it. */
  noseBridgeMm: z.number().min(8).max(35).optional(),
});
export type ShopperMeasurements = z.infer<typeof shopperMeasurementsSchema>;
