// Virtual try-on (2D): where a catalog frame's image goes on the shopper's photo. The widget finds
// the landmarks and draws; this engine is the one place they become a placement, so the
// widget, the portal preview and an API caller all place a frame the same way.
import { z } from 'zod';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { frameDrawingPath } from './frame-drawing';
import { placeFrame, type Placement } from './frame-placement';
import { distance } from './geometry';
import { tryOnFaceSchema } from './try-on-face';
import type { Frame } from './frame';

export function virtualTryOnInputSchemaFor(catalog: FrameCatalog) {
  return z.object({
    face: tryOnFaceSchema,
    frameId: z.string().min(1).refine((id) => catalog.find(id) !== undefined, 'no frame in the catalog has this id'),
  });
}

export const virtualTryOnInputSchema = virtualTryOnInputSchemaFor(sampleCatalog);
export type VirtualTryOnInput = z.infer<typeof virtualTryOnInputSchema>;

export interface VirtualTryOnOutput {
  frame: Pick<Frame, 'id' | 'name' | 'shape' | 'colour' | 'material' | 'lensWidthMm' | 'bridgeMm' | 'totalWidthMm'> & {
    /** Relative to the API origin; the drawing's middle is the frame's bridge centre. */
    imageUrl: string;
  };
  placement: Placement;
  /** The frame front against the face, when the face width was sent: about 1 fits. */
  frameToFaceWidth: number | null;
}

const irisDiameterPx = (eye: VirtualTryOnInput['face']['leftEye']) =>
  (2 * eye.irisEdge.reduce((s, p) => s + distance(p, eye.irisCentre), 0)) / eye.irisEdge.length;

export function tryOnFrame(input: VirtualTryOnInput, catalog: FrameCatalog): VirtualTryOnOutput {
  const frame = catalog.find(input.frameId);
  if (!frame) throw new Error('virtual-try-on input was not validated: unknown frame'); // unreachable after the schema
  const { face } = input;
  const placement = placeFrame(
    {
      eyes: [face.leftEye.irisCentre, face.rightEye.irisCentre],
      noseBridge: face.noseBridge,
      irisDiametersPx: [irisDiameterPx(face.leftEye), irisDiameterPx(face.rightEye)],
      faceWidthPx: face.faceWidthPx,
    },
    frame.totalWidthMm,
  );
  const { id, name, shape, colour, material, lensWidthMm, bridgeMm, totalWidthMm } = frame;
  return {
    frame: { id, name, shape, colour, material, lensWidthMm, bridgeMm, totalWidthMm, imageUrl: frameDrawingPath(frame) },
    placement,
    frameToFaceWidth: placement.faceWidthMm === null ? null : Math.round((totalWidthMm / placement.faceWidthMm) * 100) / 100,
  };
}
