// Where a frame sits on a face in a photo: the pure geometry behind virtual try-on. Inputs are
// image pixels (y down); the frame's drawing (frame-drawing.ts) has its bridge centre at the
// middle of the image, so the placement's centre is where that middle goes.
import { irisDiameterMm } from './pd-calculator';
import { distance, round } from './geometry';
import type { Point } from './schemas';

export interface PlacementFace {
  /** The eye on the left of the image (the shopper's right eye) and the other one; any order is accepted. */
  eyes: readonly [Point, Point];
  /** Top of the nose between the eyes (mesh point 168): the frame's bridge rests there. */
  noseBridge: Point;
  /** Horizontal iris diameters in px, both eyes: the photo's scale at the eyes. */
  irisDiametersPx: readonly [number, number];
  /** Cheek to cheek in px, when known: reported in mm so the shopper sees frame against face. */
  faceWidthPx?: number | undefined;
}

export interface Placement {
  /** Where the middle of the frame image goes, px. */
  centre: Point;
  /** The frame image's width on the photo, px: the frame's real front width at the photo's scale. */
  widthPx: number;
  /** Clockwise in the image (y down), degrees: the slope of the eye line. */
  rollDeg: number;
  mmPerPx: number;
  faceWidthMm: number | null;
}

/**
 * How far the centre moves from the eyes' midpoint towards the nose bridge, along the eye line.
 * A turned head puts the midpoint of the pupils off the nose; a frame rests on the nose, so half
 * the way is a compromise that also forgives one mislocated iris. Only the sideways part counts:
 * the lens centres stay on the eye line.
 */
export const bridgeWeight = 0.5;

export function placeFrame(face: PlacementFace, frameWidthMm: number): Placement {
  const [a, b] = face.eyes[0].x <= face.eyes[1].x ? face.eyes : [face.eyes[1], face.eyes[0]];
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const eyeDistance = distance(a, b);
  const ux = (b.x - a.x) / eyeDistance;
  const uy = (b.y - a.y) / eyeDistance;
  // The nose bridge's offset from the midpoint, projected on the eye line: its sideways part.
  const along = (face.noseBridge.x - mid.x) * ux + (face.noseBridge.y - mid.y) * uy;
  const centre = { x: mid.x + bridgeWeight * along * ux, y: mid.y + bridgeWeight * along * uy };
  const irisPx = (face.irisDiametersPx[0] + face.irisDiametersPx[1]) / 2;
  const mmPerPx = irisDiameterMm / irisPx;
  return {
    centre: { x: round(centre.x, 1), y: round(centre.y, 1) },
    widthPx: round(frameWidthMm / mmPerPx, 1),
    rollDeg: round((Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI, 2),
    mmPerPx: round(mmPerPx, 5),
    faceWidthMm: face.faceWidthPx === undefined ? null : round(face.faceWidthPx * mmPerPx, 1),
  };
}
