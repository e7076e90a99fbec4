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
  { slug: 'virtual-try-on', name: 'Virtual Try-On', category: 'try-on', status: 'active', costTokens: 5, requiredPlan: 'professional', description: 'Shoppers see catalog frames on their own face in a photo: placed on the eyes and nose bridge, sized from the iris to the frame’s real width, tilted with the head; switching frames is free.' },
  { slug: 'face-shape-analysis', name: 'Face Shape Analysis', category: 'analysis', status: 'active', costTokens: 3, requiredPlan: 'starter', description: 'Finds the face in a selfie or uploaded photo, in the shopper’s browser, and classifies it as oval, round, square, heart, oblong or diamond from its forehead, cheekbone and jaw widths and its length, with the ratios. The photo never leaves the device.' },
  { slug: 'style-consultation', name: 'Style Consultation', category: 'consultation', status: 'active', costTokens: 4, requiredPlan: 'professional', description: 'Takes the face shape, face width and PD from a photo (or as given) and says which frame styles to look for and which to avoid, with the reasons, and a few catalog frames that fit.' },
  { slug: 'fit-consultation', name: 'Fit Consultation', category: 'consultation', status: 'active', costTokens: 4, requiredPlan: 'professional', description: 'Checks a frame’s lens width, bridge and temple length against the PD and temple-to-temple face width measured from the shopper’s photo (or given in millimetres).' },
  { slug: 'eyewear-recommendations', name: 'Eyewear Recommendations', category: 'discovery', status: 'active', costTokens: 2, requiredPlan: 'starter', description: 'Ranks the brand’s catalog for one shopper by the face shape, face width and PD measured from a photo, and their material, colour and price preferences, with the reasons for each score.' },
  { slug: 'pd-calculator', name: 'PD Calculator', category: 'measurement', status: 'active', costTokens: 1, requiredPlan: 'starter', description: 'Measures pupillary distance in millimetres from a selfie or photo: the pupils from the iris landmarks, the scale from the iris (about ±3 mm) or a card held to the forehead, with a plausibility check. The photo never leaves the device.' },
  { slug: 'frame-finder', name: 'Frame Finder', category: 'discovery', status: 'active', costTokens: 2, requiredPlan: 'starter', description: 'Filters frames by shape, size, material, colour and price in a guided flow.' },
  { slug: 'contact-lens-try-on', name: 'Contact Lens Try-On', category: 'try-on', status: 'active', costTokens: 3, requiredPlan: 'professional', description: 'Tints the irises in the shopper’s photo with the chosen lens colour and opacity, behind the eyelids and with a clear pupil; changing colour is free.' },
  { slug: 'conversational-ai', name: 'Conversational AI', category: 'assistant', status: 'active', costTokens: 3, requiredPlan: 'professional', description: 'An eyewear-savvy shopping assistant that answers questions and suggests frames.' },
  { slug: 'advanced-analytics', name: 'Advanced Analytics', category: 'analytics', status: 'active', costTokens: 10, requiredPlan: 'professional', description: 'Usage trends, top apps and a forecast of when the token balance runs out.' },
];

/**
 * What each app is good for, in a brand's words: 2–4 concrete benefits the app's page lists. Kept
 * apart from the definitions (and out of the apps table) because it is copy for the portal, not
 * catalog data widgets or invoices rely on.
 */
const goodFor: Readonly<Record<string, readonly string[]>> = {
  'virtual-try-on': ['Fewer returns: shoppers see the fit before they buy.', 'Longer visits on product pages with a camera or photo try-on.', 'Works on phones, where most frame browsing happens.'],
  'face-shape-analysis': ['Tells a shopper their face shape in seconds, with the measured ratios.', 'Feeds style and recommendation apps with a reliable face shape.', 'Starts a guided journey for shoppers unsure where to begin.'],
  'style-consultation': ['Explains why a style suits the shopper, which builds confidence to buy.', 'Narrows a large catalog to a few styles worth trying.', 'Gives store staff the same advice online as in the shop.'],
  'fit-consultation': ['Catches frames that would be too narrow or too wide before checkout.', 'Checks lens width, bridge and temples against real measurements.', 'Cuts fit-related returns and exchanges.'],
  'eyewear-recommendations': ['Ranks your own catalog for each shopper.', 'Raises conversion with a short, personal shortlist.', 'Uses face shape, fit and taste together.'],
  'pd-calculator': ['Measures pupillary distance from a photo, without a visit to the shop.', 'Removes a common reason for abandoned prescription orders.', 'Costs one token per measurement.'],
  'frame-finder': ['A guided filter by shape, size, material, colour and price.', 'Helps shoppers who know what they want find it fast.', 'Surfaces frames buried deep in a large catalog.'],
  'contact-lens-try-on': ['Previews coloured lenses on the shopper’s own eyes.', 'Makes coloured lenses easier to choose online.', 'Sells more of a high-margin category.'],
  'conversational-ai': ['Answers eyewear questions at any hour.', 'Suggests frames in the conversation, from your catalog.', 'Takes routine questions off your support team.'],
  'advanced-analytics': ['Shows usage trends and the apps shoppers use most.', 'Forecasts when the token balance runs out, before it does.', 'Helps decide which apps earn their tokens.'],
};

/** The app's benefits for its page; empty for a slug the code does not define. */
export function goodForOf(slug: string): readonly string[] {
  return goodFor[slug] ?? [];
}

/**
 * The catalog as apps table rows. The seed upserts these objects verbatim and the table has no
 * plan column (entitlement is a rule in code, not data), so the required plan is left out.
 */
export const appCatalog: readonly AppRow[] = appDefinitions.map(({ requiredPlan: _requiredPlan, ...row }) => row);
