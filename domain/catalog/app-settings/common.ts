// Settings every app's widget shares: where it sits, its colours, its button and its language.
import { z } from 'zod';

export const placements = ['product-page', 'collection-page', 'floating-button'] as const;

/**
 * BCP-47 tags the widgets ship translations for. A tag outside this list would render in
 * English anyway, so it is refused rather than stored as a promise we cannot keep.
 */
export const supportedLocales = [
  'en', 'en-US', 'en-GB', 'en-CA', 'en-AU',
  'fr', 'fr-FR', 'fr-CA',
  'de', 'de-DE', 'es', 'es-ES', 'es-MX', 'it', 'it-IT', 'nl', 'nl-NL', 'pt-BR', 'pt-PT', 'ja', 'ja-JP',
] as const;

// Titles and descriptions are the labels the portal's generated form shows (JSON Schema title/description).
const colour = (fallback: string, title: string, description: string) =>
  z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a #rrggbb colour.').default(fallback).meta({ title, description });

export const themeSchema = z
  .object({
    primary: colour('#1f3a5f', 'Primary colour', "The button and the result panel's border."),
    background: colour('#ffffff', 'Background colour', "The result panel, and the button's label."),
    text: colour('#1a1a1a', 'Text colour', "The result panel's text."),
  })
  .strict()
  .meta({ title: 'Colours' });

export interface CommonDefaults {
  buttonText: string;
  placement?: (typeof placements)[number];
}

/** Shared fields with the app's own default wording; each app spreads them into its strict object. */
export const commonSettings = ({ buttonText, placement = 'product-page' }: CommonDefaults) => ({
  placement: z.enum(placements).default(placement).meta({ title: 'Placement', description: 'Where the widget sits on the storefront page.' }),
  // prefault, not default: an absent or partial theme still gets every colour's own default.
  theme: themeSchema.prefault({}),
  buttonText: z.string().trim().min(1, 'Use 1 to 40 characters.').max(40, 'Use 1 to 40 characters.').default(buttonText).meta({ title: 'Button text', description: 'What the widget\'s button says.' }),
  locale: z.enum(supportedLocales).default('en').meta({ title: 'Language', description: 'BCP-47 tag of the language shoppers see.' }),
});
