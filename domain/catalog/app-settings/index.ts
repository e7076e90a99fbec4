// Each app's widget settings: one strict zod schema per app, with a default for every field so
// that `parse({})` is the default configuration. The JSON Schema form is what the portal renders.
import { z } from 'zod';
import { appCatalog } from '../apps';
import { advancedAnalyticsSettings } from './analytics';
import { conversationalAiSettings } from './assistant';
import { fitConsultationSettings, styleConsultationSettings } from './consultation';
import { eyewearRecommendationsSettings, frameFinderSettings } from './discovery';
import { faceShapeAnalysisSettings, pdCalculatorSettings } from './measurement';
import { contactLensTryOnSettings, virtualTryOnSettings } from './try-on';

export { placements, supportedLocales } from './common';

export type SettingsSchema = z.ZodObject;

const bySlug: Record<string, SettingsSchema> = {
  'virtual-try-on': virtualTryOnSettings,
  'face-shape-analysis': faceShapeAnalysisSettings,
  'style-consultation': styleConsultationSettings,
  'fit-consultation': fitConsultationSettings,
  'eyewear-recommendations': eyewearRecommendationsSettings,
  'pd-calculator': pdCalculatorSettings,
  'frame-finder': frameFinderSettings,
  'contact-lens-try-on': contactLensTryOnSettings,
  'conversational-ai': conversationalAiSettings,
  'advanced-analytics': advancedAnalyticsSettings,
};

// Fails at load, not at the first request, when the catalog gains an app without settings.
const missing = appCatalog.map((a) => a.slug).filter((slug) => !bySlug[slug]);
if (missing.length > 0) throw new Error(`app settings missing for: ${missing.join(', ')}`);

/** Undefined for a slug outside the catalog. */
export function settingsSchemaFor(slug: string): SettingsSchema | undefined {
  return Object.hasOwn(bySlug, slug) ? bySlug[slug] : undefined;
}

function known(slug: string): SettingsSchema {
  const schema = settingsSchemaFor(slug);
  if (!schema) throw new Error(`no settings for app ${slug}`);
  return schema;
}

export function defaultConfiguration(slug: string): Record<string, unknown> {
  return known(slug).parse({});
}

const jsonSchemas = new Map<string, Record<string, unknown>>();

/** Draft 2020-12, of the complete (output) configuration: every field present, each with its default. */
export function settingsJsonSchema(slug: string): Record<string, unknown> {
  let js = jsonSchemas.get(slug);
  if (!js) {
    js = z.toJSONSchema(known(slug), { target: 'draft-2020-12' }) as Record<string, unknown>;
    jsonSchemas.set(slug, js);
  }
  return js;
}
