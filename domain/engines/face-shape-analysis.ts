// Face shape from eight frontal landmarks. Widths and length are distances between points, so any
// consistent unit works (pixels usually) and head tilt does not matter; only ratios decide the shape.
import { z } from 'zod';
import type { FaceShape } from './frame';
import { pointSchema } from './schemas';
import { clamp, distance, round } from './geometry';

/**
 * hairline: top of the forehead at the midline; chin: lowest point of the chin (menton);
 * forehead*: the temples at the widest point of the forehead; cheekbone*: the widest points of the
 * cheekbones (zygions); jaw*: the jaw angles (gonions).
 */
export const faceLandmarksSchema = z.object({
  hairline: pointSchema,
  chin: pointSchema,
  foreheadLeft: pointSchema,
  foreheadRight: pointSchema,
  cheekboneLeft: pointSchema,
  cheekboneRight: pointSchema,
  jawLeft: pointSchema,
  jawRight: pointSchema,
});
export type FaceLandmarks = z.infer<typeof faceLandmarksSchema>;

// Pairs that must be distinct for a width or length to exist; the issue points at the second one.
const measuredPairs = [
  ['hairline', 'chin'],
  ['foreheadLeft', 'foreheadRight'],
  ['cheekboneLeft', 'cheekboneRight'],
  ['jawLeft', 'jawRight'],
] as const;

export const faceShapeAnalysisInputSchema = z
  .object({
    landmarks: faceLandmarksSchema,
    /** Photo scale (e.g. from pd-calculator); when given, the face width is also reported in mm. */
    mmPerPx: z.number().positive().optional(),
  })
  .superRefine((input, ctx) => {
    for (const [a, b] of measuredPairs) {
      if (distance(input.landmarks[a], input.landmarks[b]) < 1) {
        ctx.addIssue({ code: 'custom', message: `${b} must be at least 1 unit away from ${a}`, path: ['landmarks', b] });
      }
    }
  });
export type FaceShapeAnalysisInput = z.infer<typeof faceShapeAnalysisInputSchema>;

export interface FaceRatios {
  lengthToWidth: number; // face length / the widest of the three widths
  foreheadToCheekbone: number;
  jawToCheekbone: number;
  jawToForehead: number;
}

interface Condition {
  ratio: keyof FaceRatios;
  atLeast?: number;
  atMost?: number;
}

// Checked in order; the first rule whose conditions all hold wins, and oval is the balanced default.
const rules: readonly { shape: FaceShape; conditions: readonly Condition[]; because: string }[] = [
  { shape: 'diamond', conditions: [{ ratio: 'foreheadToCheekbone', atMost: 0.8 }, { ratio: 'jawToCheekbone', atMost: 0.8 }], because: 'the cheekbones are clearly the widest point, with a narrow forehead and jaw' },
  { shape: 'heart', conditions: [{ ratio: 'foreheadToCheekbone', atLeast: 0.9 }, { ratio: 'jawToForehead', atMost: 0.8 }], because: 'a wide forehead tapers to a much narrower jaw' },
  { shape: 'oblong', conditions: [{ ratio: 'lengthToWidth', atLeast: 1.5 }], because: 'the face is at least 1.5 times as long as it is wide' },
  { shape: 'square', conditions: [{ ratio: 'jawToCheekbone', atLeast: 0.9 }], because: 'the jaw is nearly as wide as the cheekbones, giving a strong, angular jawline' },
  { shape: 'round', conditions: [{ ratio: 'lengthToWidth', atMost: 1.25 }], because: 'the face is nearly as wide as it is long, with a softer jaw' },
  { shape: 'oval', conditions: [], because: 'the length is moderate and the jaw narrows gently from the cheekbones' },
];

// A decision this far (in ratio units) from every threshold it crossed gets full confidence.
const confidentMargin = 0.1;

export interface FaceShapeAnalysisOutput {
  faceShape: FaceShape;
  ratios: FaceRatios; // 3 decimals; these rounded values are the ones the rules compared
  measurements: { faceLength: number; foreheadWidth: number; cheekboneWidth: number; jawWidth: number }; // input units, 1 decimal
  faceWidthMm: number | null; // the widest width in mm, when mmPerPx was given
  confidence: number; // 0.5–0.95: how far the ratios sit from the thresholds that decided the shape
  explanation: string;
}

/** ≥ 0 when the condition holds: how far past the threshold the ratio is. */
function margin(ratios: FaceRatios, c: Condition): number {
  const value = ratios[c.ratio];
  return Math.min(c.atLeast === undefined ? Infinity : value - c.atLeast, c.atMost === undefined ? Infinity : c.atMost - value);
}

function ruleMargin(ratios: FaceRatios, conditions: readonly Condition[]): number {
  return Math.min(Infinity, ...conditions.map((c) => margin(ratios, c)));
}

export function analyseFaceShape(input: FaceShapeAnalysisInput): FaceShapeAnalysisOutput {
  const l = input.landmarks;
  const faceLength = distance(l.hairline, l.chin);
  const foreheadWidth = distance(l.foreheadLeft, l.foreheadRight);
  const cheekboneWidth = distance(l.cheekboneLeft, l.cheekboneRight);
  const jawWidth = distance(l.jawLeft, l.jawRight);
  const widest = Math.max(foreheadWidth, cheekboneWidth, jawWidth);
  const ratios: FaceRatios = {
    lengthToWidth: round(faceLength / widest, 3),
    foreheadToCheekbone: round(foreheadWidth / cheekboneWidth, 3),
    jawToCheekbone: round(jawWidth / cheekboneWidth, 3),
    jawToForehead: round(jawWidth / foreheadWidth, 3),
  };

  // Confidence looks at the winning rule's own margin and at how narrowly each earlier rule missed.
  let closest = Infinity;
  let chosen = rules[rules.length - 1]!;
  for (const rule of rules) {
    const m = ruleMargin(ratios, rule.conditions);
    if (m >= 0) {
      chosen = rule;
      closest = Math.min(closest, m);
      break;
    }
    closest = Math.min(closest, -m);
  }
  const confidence = round(0.5 + 0.45 * clamp(closest / confidentMargin, 0, 1), 2);

  return {
    faceShape: chosen.shape,
    ratios,
    measurements: { faceLength: round(faceLength, 1), foreheadWidth: round(foreheadWidth, 1), cheekboneWidth: round(cheekboneWidth, 1), jawWidth: round(jawWidth, 1) },
    faceWidthMm: input.mmPerPx === undefined ? null : round(widest * input.mmPerPx, 1),
    confidence,
    explanation:
      `${chosen.shape[0]!.toUpperCase()}${chosen.shape.slice(1)}: ${chosen.because}. ` +
      `Length is ${ratios.lengthToWidth}× the widest width; forehead is ${ratios.foreheadToCheekbone} and jaw ${ratios.jawToCheekbone} of the cheekbone width.`,
  };
}
