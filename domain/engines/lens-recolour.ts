// What a contact-lens preview paints: per eye, the iris circle to tint, the pupil left clear, and
// the eyelid opening that clips both (an eyelid covers the top and bottom of the iris; a tint
// painted there would sit on skin). Pure geometry in image pixels; the widget does the painting.
import { distance, round } from './geometry';
import type { Point } from './schemas';

export interface LensEye {
  /** The iris centre (the pupil): mesh point 468 or 473. */
  irisCentre: Point;
  irisRadiusPx: number;
  /** The eyelid opening, in order around the eye (the mesh's 16 eye-contour points). */
  eyelid: readonly Point[];
}

export interface LensPaint {
  centre: Point;
  /** The tint's outer circle: the iris edge. */
  radiusPx: number;
  /** Left clear: a coloured lens has a clear pupil zone, and a tinted pupil looks like a cataract. */
  pupilRadiusPx: number;
  /** Clip polygon: paint only inside it. */
  eyelid: Point[];
  /** How much of the iris circle the eyelids leave visible, 0–1 (low: the eye is nearly shut). */
  visibleFraction: number;
}

/** A relaxed pupil is about a third of the iris across in daylight (2–4 mm of 11.7 mm). */
export const pupilToIris = 0.33;

export function lensPaint(eye: LensEye): LensPaint {
  const radius = eye.irisRadiusPx;
  return {
    centre: { x: round(eye.irisCentre.x, 1), y: round(eye.irisCentre.y, 1) },
    radiusPx: round(radius, 2),
    pupilRadiusPx: round(radius * pupilToIris, 2),
    eyelid: eye.eyelid.map((p) => ({ x: round(p.x, 1), y: round(p.y, 1) })),
    visibleFraction: round(visibleFraction(eye.irisCentre, radius, eye.eyelid), 2),
  };
}

/** Even-odd ray casting: true inside a simple polygon. */
export function insidePolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

// Sampled on a 21 × 21 grid over the circle's box: exact enough for a 0.01 figure, and cheap.
function visibleFraction(centre: Point, radius: number, eyelid: readonly Point[]): number {
  const steps = 21;
  let inCircle = 0;
  let visible = 0;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const p = { x: centre.x - radius + ((2 * radius) * (i + 0.5)) / steps, y: centre.y - radius + ((2 * radius) * (j + 0.5)) / steps };
      if (distance(p, centre) > radius) continue;
      inCircle++;
      if (insidePolygon(p, eyelid)) visible++;
    }
  }
  return inCircle === 0 ? 0 : visible / inCircle;
}
