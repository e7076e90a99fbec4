// Contact lens try-on: what to tint on each eye of the shopper's photo, in which colour and how
// strongly. The widget paints it; the eyelid polygons clip the tint (occlusion). The geometry does
// not depend on the colour, so a shopper changing colours repaints in the browser without a run.
import { z } from 'zod';
import { lensColourHex, lensColourIds, lensColours } from './lens-colours';
import { lensPaint, type LensPaint } from './lens-recolour';
import { lensEyeOf, withFace } from './try-on-face';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2f7fd1');

export const contactLensTryOnInputSchema = withFace({
  /** A lens from the list (lens-colours.ts), or the brand's own colour; neither: the first of the list. */
  lensId: z.enum(lensColourIds).optional(),
  colour: hexColour.optional(),
  /** How much the tint covers the natural iris: coloured lenses are 0.4 (enhancers) to 0.9 (opaque). */
  opacity: z.number().min(0.1).max(1).default(0.6),
}).refine((i) => i.lensId === undefined || i.colour === undefined, { message: 'give lensId or colour, not both', path: ['colour'] });

export type ContactLensTryOnInput = z.infer<typeof contactLensTryOnInputSchema>;

export interface ContactLensTryOnOutput {
  colour: string; // #rrggbb, lower case
  opacity: number;
  /** The shopper's left eye, then right. */
  eyes: [LensPaint, LensPaint];
  /** The colours the widget offers to switch to. */
  lenses: typeof lensColours;
  /** Set when an eyelid covers most of an iris: the preview will show little. */
  warning: string | null;
}

// Below this share of the iris visible, the shopper is blinking or squinting.
const minVisible = 0.35;

export function tryOnLenses(input: ContactLensTryOnInput): ContactLensTryOnOutput {
  const colour = (input.colour ?? lensColourHex(input.lensId ?? lensColours[0].id)).toLowerCase();
  const face = input.landmarks.face!;
  const eyes: [LensPaint, LensPaint] = [lensPaint(lensEyeOf(face.leftEye)), lensPaint(lensEyeOf(face.rightEye))];
  const shut = eyes.some((e) => e.visibleFraction < minVisible);
  return { colour, opacity: input.opacity, eyes, lenses: lensColours, warning: shut ? 'An eye looks closed in this photo: take one with both eyes open for a clear preview.' : null };
}
