// The built-in engines behind the marketplace apps, by app slug. A gateway validates the raw
// request with schemaFor(catalog) (a failure carries the field path) and only then calls run, which is
// pure: no I/O, no clock, no randomness, and no throw for input that passed the schema. The frame
// catalog is an argument (the brand's own, or the sample), never a global an engine reaches for.
import { z } from 'zod';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { advancedAnalyticsInputSchema, analyseUsage } from './advanced-analytics';
import { eyewearRecommendationsInputSchema, recommendEyewear } from './eyewear-recommendations';
import { analyseFaceShape, faceShapeAnalysisInputSchema } from './face-shape-analysis';
import { consultFit, fitConsultationInputSchema, fitConsultationInputSchemaFor } from './fit-consultation';
import { findFrames, frameFinderInputSchema } from './frame-finder';
import { calculatePd, pdCalculatorInputSchema } from './pd-calculator';
import { consultStyle, styleConsultationInputSchema } from './style-consultation';
import {
  faceShapeFromPhotoInput,
  faceShapePhotoSchema,
  fitFromPhotoInput,
  fitPhotoSchemaFor,
  isPhotoInput,
  pdFromPhotoInput,
  pdPhotoSchema,
  recommendationsFromPhotoInput,
  recommendationsPhotoSchema,
  styleFromPhotoInput,
  stylePhotoSchema,
} from './photo-engines';
import { contactLensTryOnInputSchema, tryOnLenses } from './contact-lens-try-on';
import { tryOnFrames, virtualTryOnInputSchema, virtualTryOnInputSchemaFor } from './virtual-try-on';

export interface BuiltInEngine<Schema extends z.ZodType = z.ZodType, Output = unknown> {
  /** The input checked against the sample catalog (what the docs show). */
  readonly inputSchema: Schema;
  /** The same input checked against the catalog a run will read. */
  schemaFor(catalog: FrameCatalog): z.ZodType;
  run(input: z.output<Schema>, catalog: FrameCatalog): Output;
}

function defineEngine<Schema extends z.ZodType, Output>(
  inputSchema: Schema,
  run: (input: z.output<Schema>, catalog: FrameCatalog) => Output,
  schemaFor: (catalog: FrameCatalog) => z.ZodType = () => inputSchema,
): BuiltInEngine<Schema, Output> {
  return { inputSchema, schemaFor, run };
}

/** A face app's photo variant (photo-engines.ts): its schema against a catalog, and its run. */
interface PhotoVariant {
  schemaFor(catalog: FrameCatalog): z.ZodType;
  run(input: never, catalog: FrameCatalog): unknown;
}

/**
 * Picks the schema by the input's kind (landmarks present or not) rather than a z.union, so a
 * refusal names the field of the kind the caller meant, not every branch of a union.
 */
function dispatching(plain: z.ZodType, photo: z.ZodType): z.ZodType {
  return z.unknown().transform((value, ctx) => {
    const parsed = (isPhotoInput(value) ? photo : plain).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params: { code: issue.code } });
    return z.NEVER;
  });
}

function withPhoto<Schema extends z.ZodType, Output>(engine: BuiltInEngine<Schema, Output>, photo: PhotoVariant): BuiltInEngine<Schema, Output> {
  return {
    inputSchema: engine.inputSchema,
    schemaFor: (catalog) => dispatching(engine.schemaFor(catalog), photo.schemaFor(catalog)),
    // The photo result has the typed-in result's fields plus the measurements behind them.
    run: (input, catalog) => (isPhotoInput(input) ? (photo.run(input as never, catalog) as Output) : engine.run(input, catalog)),
  };
}

export const builtInEngines = {
  'pd-calculator': withPhoto(defineEngine(pdCalculatorInputSchema, calculatePd), { schemaFor: () => pdPhotoSchema, run: pdFromPhotoInput }),
  'face-shape-analysis': withPhoto(defineEngine(faceShapeAnalysisInputSchema, analyseFaceShape), { schemaFor: () => faceShapePhotoSchema, run: faceShapeFromPhotoInput }),
  'frame-finder': defineEngine(frameFinderInputSchema, findFrames),
  'eyewear-recommendations': withPhoto(defineEngine(eyewearRecommendationsInputSchema, recommendEyewear), {
    schemaFor: () => recommendationsPhotoSchema,
    run: recommendationsFromPhotoInput,
  }),
  'style-consultation': withPhoto(defineEngine(styleConsultationInputSchema, consultStyle), { schemaFor: () => stylePhotoSchema, run: styleFromPhotoInput }),
  'fit-consultation': withPhoto(defineEngine(fitConsultationInputSchema, consultFit, fitConsultationInputSchemaFor), { schemaFor: fitPhotoSchemaFor, run: fitFromPhotoInput }),
  'advanced-analytics': defineEngine(advancedAnalyticsInputSchema, analyseUsage),
  'virtual-try-on': defineEngine(virtualTryOnInputSchema, tryOnFrames, virtualTryOnInputSchemaFor),
  'contact-lens-try-on': defineEngine(contactLensTryOnInputSchema, tryOnLenses),
} as const;

export type BuiltInEngineSlug = keyof typeof builtInEngines;
export type BuiltInEngineInput<S extends BuiltInEngineSlug> = z.input<(typeof builtInEngines)[S]['inputSchema']>;
export type BuiltInEngineOutput<S extends BuiltInEngineSlug> = ReturnType<(typeof builtInEngines)[S]['run']>;

// The registry seen through the widest engine type: what a gateway that holds only a slug string needs.
const registry: Readonly<Record<BuiltInEngineSlug, BuiltInEngine>> = builtInEngines;

export function isBuiltInEngineSlug(slug: string): slug is BuiltInEngineSlug {
  return Object.hasOwn(builtInEngines, slug);
}

/** Validates, then runs, against the sample unless given a catalog. Invalid input throws the schema's z.ZodError; nothing else throws. */
export function runBuiltInEngine<S extends BuiltInEngineSlug>(slug: S, rawInput: unknown, catalog: FrameCatalog = sampleCatalog): BuiltInEngineOutput<S> {
  const engine = registry[slug];
  return engine.run(engine.schemaFor(catalog).parse(rawInput), catalog) as BuiltInEngineOutput<S>;
}

export type { Frame, FaceShape, FrameShape, Material, Colour } from './frame';
export { frameCatalog, findFrame } from './frame-catalog';
export { catalogEngines, catalogOf, sampleCatalog, type FrameCatalog } from './catalog';
export { isPhotoInput, photoAppSlugs } from './photo-engines';
export { photoRefusal } from './face-measures';
export { faceLandmarksInputSchema, type FaceLandmarksInput } from './face-landmarks';
