// The built-in engines behind the marketplace apps, by app slug. A gateway validates the raw
// request with inputSchema (a failure carries the field path) and only then calls run, which is
// pure: no I/O, no clock, no randomness, and no throw for input that passed the schema.
import { z } from 'zod';
import { advancedAnalyticsInputSchema, analyseUsage } from './advanced-analytics';
import { eyewearRecommendationsInputSchema, recommendEyewear } from './eyewear-recommendations';
import { analyseFaceShape, faceShapeAnalysisInputSchema } from './face-shape-analysis';
import { consultFit, fitConsultationInputSchema } from './fit-consultation';
import { findFrames, frameFinderInputSchema } from './frame-finder';
import { calculatePd, pdCalculatorInputSchema } from './pd-calculator';
import { consultStyle, styleConsultationInputSchema } from './style-consultation';

export interface BuiltInEngine<Schema extends z.ZodType = z.ZodType, Output = unknown> {
  readonly inputSchema: Schema;
  run(input: z.output<Schema>): Output;
}

function defineEngine<Schema extends z.ZodType, Output>(inputSchema: Schema, run: (input: z.output<Schema>) => Output): BuiltInEngine<Schema, Output> {
  return { inputSchema, run };
}

export const builtInEngines = {
  'pd-calculator': defineEngine(pdCalculatorInputSchema, calculatePd),
  'face-shape-analysis': defineEngine(faceShapeAnalysisInputSchema, analyseFaceShape),
  'frame-finder': defineEngine(frameFinderInputSchema, findFrames),
  'eyewear-recommendations': defineEngine(eyewearRecommendationsInputSchema, recommendEyewear),
  'style-consultation': defineEngine(styleConsultationInputSchema, consultStyle),
  'fit-consultation': defineEngine(fitConsultationInputSchema, consultFit),
  'advanced-analytics': defineEngine(advancedAnalyticsInputSchema, analyseUsage),
} as const;

export type BuiltInEngineSlug = keyof typeof builtInEngines;
export type BuiltInEngineInput<S extends BuiltInEngineSlug> = z.input<(typeof builtInEngines)[S]['inputSchema']>;
export type BuiltInEngineOutput<S extends BuiltInEngineSlug> = ReturnType<(typeof builtInEngines)[S]['run']>;

// The registry seen through the widest engine type: what a gateway that holds only a slug string needs.
const registry: Readonly<Record<BuiltInEngineSlug, BuiltInEngine>> = builtInEngines;

export function isBuiltInEngineSlug(slug: string): slug is BuiltInEngineSlug {
  return Object.hasOwn(builtInEngines, slug);
}

/** Validates, then runs. Invalid input throws the schema's z.ZodError; nothing else throws. */
export function runBuiltInEngine<S extends BuiltInEngineSlug>(slug: S, rawInput: unknown): BuiltInEngineOutput<S> {
  const engine = registry[slug];
  return engine.run(engine.inputSchema.parse(rawInput)) as BuiltInEngineOutput<S>;
}

export type { Frame, FaceShape, FrameShape, Material, Colour } from './frame';
export { frameCatalog, findFrame } from './frame-catalog';
