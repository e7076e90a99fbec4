// The marketplace catalog. Slugs, costs and required plans are contractual: widgets, invoices
// and plan pages name them.
import type { AppStatus } from '../entities/app';

export const appCategories = ['try-on', 'analysis', 'consultation', 'discovery', 'measurement', 'assistant', 'analytics'] as const;
export type AppCategory = (typeof appCategories)[number];

/** What the apps table holds for one app. */
export interface AppRow {
  slug: string;
  name: string;
  description: string;
  category: AppCategory;
  status: AppStatus;
  costTokens: number;
}

export interface AppDefinition extends AppRow {
  /** The cheapest plan that includes the app; Enterprise includes everything Professional does. */
  requiredPlan: 'starter' | 'professional';
}

export const appDefinitions: readonly AppDefinition[] = [
  { slug: 'virtual-try-on', name: 'Virtual Try-On', category: 'try-on', status: 'active', costTokens: 5, requiredPlan: 'professional', description: 'Shoppers see frames on their own face, live from the camera or from a photo.' },
  { slug: 'face-shape-analysis', name: 'Face Shape Analysis', category: 'analysis', status: 'active', costTokens: 3, requiredPlan: 'starter', description: 'Classifies a face as oval, round, square, heart, oblong or diamond, with the measured ratios.' },
  { slug: 'style-consultation', name: 'Style Consultation', category: 'consultation', status: 'active', costTokens: 4, requiredPlan: 'professional', description: 'Recommends frame styles for a face shape and taste, with the reasons for each.' },
  { slug: 'fit-consultation', name: 'Fit Consultation', category: 'consultation', status: 'active', costTokens: 4, requiredPlan: 'professional', description: 'Checks lens width, bridge and temple length against the shopper’s measurements.' },
  { slug: 'eyewear-recommendations', name: 'Eyewear Recommendations', category: 'discovery', status: 'active', costTokens: 2, requiredPlan: 'starter', description: 'Ranks the brand’s catalog for one shopper from face shape, fit and preferences.' },
  { slug: 'pd-calculator', name: 'PD Calculator', category: 'measurement', status: 'active', costTokens: 1, requiredPlan: 'starter', description: 'Measures pupillary distance in millimetres from a photo with a reference card.' },
  { slug: 'frame-finder', name: 'Frame Finder', category: 'discovery', status: 'active', costTokens: 2, requiredPlan: 'starter', description: 'Filters frames by shape, size, material, colour and price in a guided flow.' },
  { slug: 'contact-lens-try-on', name: 'Contact Lens Try-On', category: 'try-on', status: 'active', costTokens: 3, requiredPlan: 'professional', description: 'Previews coloured contact lenses on the shopper’s eyes.' },
  { slug: 'conversational-ai', name: 'Conversational AI', category: 'assistant', status: 'active', costTokens: 3, requiredPlan: 'professional', description: 'An eyewear-savvy shopping assistant that answers questions and suggests frames.' },
  { slug: 'advanced-analytics', name: 'Advanced Analytics', category: 'analytics', status: 'active', costTokens: 10, requiredPlan: 'professional', description: 'Usage trends, top apps and a forecast of when the token balance runs out.' },
];

/**
 * The catalog as apps table rows. The seed upserts these objects verbatim and the table has no
 * plan column (entitlement is a rule in code, not data), so the required plan is left out.
 */
export const appCatalog: readonly AppRow[] = appDefinitions.map(({ requiredPlan: _requiredPlan, ...row }) => row);
