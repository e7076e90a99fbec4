// A landmark input (face-landmarks.ts) drawn to order: eyes where a test wants them, irises of a
// known size, eyelids open by a known height. Real landmarks are in test/fixtures/landmarks.
import type { FaceLandmarksInput } from '../../../domain/engines/face-landmarks';

type P = { x: number; y: number };

export interface SyntheticFace {
  /** The subject's left eye: on the image's right. */
  left?: P;
  right?: P;
  noseBridge?: P;
  irisPx?: number;
  /** Half the eyelid opening's height, px. */
  lidPx?: number;
  cheekboneWidthPx?: number;
}

// A lid of seven points from the outer corner to the inner one (x from `from` to `to`).
const lid = (c: P, from: number, to: number, dy: number) =>
  Array.from({ length: 7 }, (_, i) => {
    const t = (i + 1) / 8;
    return { x: from + (to - from) * t, y: c.y + dy * Math.sin(Math.PI * t) };
  });

function eye(c: P, outerSide: 1 | -1, irisPx: number, lidPx: number) {
  const outer = { x: c.x + outerSide * 60, y: c.y };
  const inner = { x: c.x - outerSide * 60, y: c.y };
  const r = irisPx / 2;
  return {
    outer, inner,
    upperLid: lid(c, outer.x, inner.x, -lidPx),
    lowerLid: lid(c, outer.x, inner.x, lidPx),
    iris: { center: c, diameterPx: irisPx, verticalDiameterPx: irisPx, contour: [{ x: c.x - r, y: c.y }, { x: c.x, y: c.y - r }, { x: c.x + r, y: c.y }, { x: c.x, y: c.y + r }] },
  };
}

export function syntheticFace(o: SyntheticFace = {}): FaceLandmarksInput {
  const left = o.left ?? { x: 660, y: 400 };
  const right = o.right ?? { x: 340, y: 400 };
  const bridge = o.noseBridge ?? { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 - 10 };
  const half = (o.cheekboneWidthPx ?? 700) / 2;
  const at = (dx: number, dy: number) => ({ x: bridge.x + dx, y: bridge.y + dy });
  return {
    kind: 'face-landmarks', version: 1, image: { width: 1000, height: 1000 }, faceCount: 1,
    face: {
      score: 0.99, box: { x: 100, y: 100, width: 800, height: 800 }, rollDeg: 0, yawDeg: 0,
      points: {
        hairline: at(0, -300), chin: at(0, 400), noseBridge: bridge, noseTip: at(0, 150),
        foreheadLeft: at(250, -200), foreheadRight: at(-250, -200), templeLeft: at(half - 10, 0), templeRight: at(10 - half, 0),
        cheekboneLeft: at(half, 40), cheekboneRight: at(-half, 40), jawLeft: at(250, 300), jawRight: at(-250, 300),
      },
      // The left eye's outer corner is further right in the image.
      leftEye: eye(left, 1, o.irisPx ?? 58.5, o.lidPx ?? 40),
      rightEye: eye(right, -1, o.irisPx ?? 58.5, o.lidPx ?? 40),
    },
  };
}
