// Pupillary distance from one frontal photo: measure the pupils in pixels, then convert with the
// scale of an object of known size in the same photo. The reference must be in the plane of the
// eyes (a card held against the forehead, or the iris itself), or the scale is off.
import { z } from 'zod';
import { pointSchema } from './schemas';
import { distance, round } from './geometry';

/** ISO/IEC 7810 ID-1 (a bank card), long edge. */
export const cardWidthMm = 85.6;
/** Mean adult horizontal visible iris diameter; varies about ±0.5 mm between people. */
export const irisDiameterMm = 11.7;
/** Adult PDs outside this range (both ends inclusive) are rare enough to suggest a bad measurement. */
export const plausiblePdMm = { min: 50, max: 80 } as const;
// Pupils closer than one pixel cannot be told apart: the photo is not a frontal face.
const minPupilDistancePx = 1;
// Below this, one pixel of error is over 10% of the scale, and a near-zero size would blow it up.
const minReferencePx = 10;

export const pdCalculatorInputSchema = z
  .object({
    leftPupil: pointSchema,
    rightPupil: pointSchema,
    reference: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('card'), widthPx: z.number().min(minReferencePx, `the card must be at least ${minReferencePx} px wide`) }),
      z.object({ kind: z.literal('iris'), diameterPx: z.number().min(minReferencePx, `the iris must be at least ${minReferencePx} px across`) }),
    ]),
  })
  .refine((i) => distance(i.leftPupil, i.rightPupil) >= minPupilDistancePx, {
    message: `pupils must be at least ${minPupilDistancePx} px apart`,
    path: ['rightPupil'],
  });

export type PdCalculatorInput = z.infer<typeof pdCalculatorInputSchema>;

export interface PdCalculatorOutput {
  pdMm: number; // 1 decimal
  mmPerPx: number; // 5 decimals; the scale of the photo at the reference, reusable for face landmarks
  pupilDistancePx: number; // 1 decimal
  method: 'card' | 'iris';
  plausible: boolean;
  warning: string | null;
}

export function calculatePd(input: PdCalculatorInput): PdCalculatorOutput {
  const { reference } = input;
  const mmPerPx = reference.kind === 'card' ? cardWidthMm / reference.widthPx : irisDiameterMm / reference.diameterPx;
  // Euclidean, so a tilted head still measures correctly.
  const pupilDistancePx = distance(input.leftPupil, input.rightPupil);
  const pdMm = round(pupilDistancePx * mmPerPx, 1);
  const plausible = pdMm >= plausiblePdMm.min && pdMm <= plausiblePdMm.max;
  return {
    pdMm,
    mmPerPx: round(mmPerPx, 5),
    pupilDistancePx: round(pupilDistancePx, 1),
    method: reference.kind,
    plausible,
    warning: plausible
      ? null
      : `PD ${pdMm} mm is outside the usual adult range of ${plausiblePdMm.min}–${plausiblePdMm.max} mm; check the reference is measured correctly and held level with the eyes, then retake the photo`,
  };
}
