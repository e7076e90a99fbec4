// Contact lens try-on: what to tint on each eye of the shopper's photo, in which colour and how
// strongly. The widget paints it; the eyelid polygons clip the tint (occlusion).
import { z } from 'zod';
import { lensColourHex, lensColourIds } from './lens-colours';
import { lensPaint, type LensPaint } from './lens-recolour';
import { tryOnFaceSchema } from './try-on-face';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2f7fd1');

export const contactLensTryOnInputSchema = z
  .object({
    face: tryOnFaceSchema,
    /** A lens from the list (lens-colours.ts) or the brand's own colour. */
    lensId: z.enum(lensColourIds).optional(),
    colour: hexColour.optional(),
    /** How much the tint covers the natural iris: coloured lenses are 0.4 (enhancers) to 0.9 (opaque). */
    opacity: z.number().min(0.1).max(1).default(0.6),
  })
  .refine((i) => (i.lensId === undefined) !== (i.colour === undefined), { message: 'give exactly one of lensId or colour', path: ['colour'] });

export type ContactLensTryOnInput = z.infer<typeof contactLensTryOnInputSchema>;

export interface ContactLensTryOnOutput {
  colour: string; // #rrggbb, lower case
  opacity: number;
  /** Left then right (the shopper's). */
  eyes: [LensPaint, LensPaint];
  /** Set when an eyelid covers most of an iris: the preview will show little. */
  warning: string | null;
}

// Below this share of the iris visible, the shopper is blinking or squinting.
const minVisible = 0.35;

export function tryOnLenses(input: ContactLensTryOnInput): ContactLensTryOnOutput {
  const colour = (input.colour ?? lensColourHex(input.lensId!)).toLowerCase();
  const eyes: [LensPaint, LensPaint] = [lensPaint(input.face.leftEye), lensPaint(input.face.rightEye)];
  const shut = eyes.some((e) => e.visibleFraction < minVisible);
  return { colour, opacity: input.opacity, eyes, warning: shut ? 'An eye looks closed in this photo: take one with both eyes open for a clear preview.' : null };
}
