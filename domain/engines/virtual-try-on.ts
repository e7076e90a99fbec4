// Virtual try-on (2D): where catalog frames' images go on the shopper's photo. The widget finds
// the landmarks and draws; this engine is where they become placements. One run places several
// frames at once, so switching between them in the widget is free: a shopper pays nothing per
// look, the brand pays once per photo.
import { z } from 'zod';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { frameDrawingPath } from './frame-drawing';
import { placeFrame, type Placement } from './frame-placement';
import { placementFaceOf, withFace } from './try-on-face';
import type { Frame } from './frame';

/** Frames one run places: a switcher's worth; each adds about 200 bytes to the answer. */
export const maxFrames = 12;
/** Without a list, this many frames of different shapes, so the demo shows the variety. */
export const defaultFrameCount = 6;

export function virtualTryOnInputSchemaFor(catalog: FrameCatalog) {
  const known = z.string().min(1).refine((id) => catalog.find(id) !== undefined, 'no frame in the catalog has this id');
  return withFace({
    /** The product page's frame (the widget's data-varai-frame): shown first, the default shapes after it. */
    frameId: known.optional(),
    frameIds: z
      .array(known)
      .min(1)
      .max(maxFrames)
      .optional()
      .meta({ description: `The frames to place, first shown first; without it, ${defaultFrameCount} of different shapes from the catalog.` }),
  }).refine((i) => i.frameId === undefined || i.frameIds === undefined, { message: 'give frameId or frameIds, not both', path: ['frameIds'] });
}

export const virtualTryOnInputSchema = virtualTryOnInputSchemaFor(sampleCatalog);
export type VirtualTryOnInput = z.infer<typeof virtualTryOnInputSchema>;

export type FrameView = Pick<Frame, 'id' | 'name' | 'shape' | 'colour' | 'material' | 'lensWidthMm' | 'bridgeMm' | 'totalWidthMm'>;

export interface VirtualTryOnOutput {
  frames: Array<{
    frame: FrameView & {
      /** Relative to the API origin; the drawing's middle is the frame's bridge centre, its width the front's. */
      imageUrl: string;
    };
    placement: Placement;
    /** The frame front against the face width: about 1 fits. */
    frameToFaceWidth: number | null;
  }>;
}

/** The first frame of each shape, in catalog order: deterministic, and one of every look. */
function defaultFrames(catalog: FrameCatalog): Frame[] {
  const seen = new Set<string>();
  return catalog.frames.filter((f) => !seen.has(f.shape) && seen.add(f.shape)).slice(0, defaultFrameCount);
}

export function tryOnFrames(input: VirtualTryOnInput, catalog: FrameCatalog): VirtualTryOnOutput {
  const face = placementFaceOf(input.landmarks.face!);
  const asked = input.frameId === undefined ? undefined : catalog.find(input.frameId)!;
  const frames = input.frameIds
    ? input.frameIds.map((id) => catalog.find(id)!)
    : asked
      ? [asked, ...defaultFrames(catalog).filter((f) => f.id !== asked.id && f.shape !== asked.shape)].slice(0, defaultFrameCount)
      : defaultFrames(catalog);
  return {
    frames: frames.map((frame) => {
      const placement = placeFrame(face, frame.totalWidthMm);
      const { id, name, shape, colour, material, lensWidthMm, bridgeMm, totalWidthMm } = frame;
      return {
        frame: { id, name, shape, colour, material, lensWidthMm, bridgeMm, totalWidthMm, imageUrl: frameDrawingPath(frame) },
        placement,
        frameToFaceWidth: placement.faceWidthMm === null ? null : Math.round((totalWidthMm / placement.faceWidthMm) * 100) / 100,
      };
    }),
  };
}
