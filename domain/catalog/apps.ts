// The marketplace catalog. Slugs and costs are contractual: widgets and invoices name them.
import type { AppStatus } from '../entities/app';

export interface AppDefinition {
  slug: string;
  name: string;
  description: string;
  category: string;
  status: AppStatus;
  costTokens: number;
}

export const appCatalog: readonly AppDefinition[] = [
  { slug: 'virtual-try-on', name: 'Virtual Try-On', category: 'try-on', status: 'active', costTokens: 5, description: 'Shoppers see frames on their own face, live from the camera or from a photo.' },
  { slug: 'face-shape-analysis', name: 'Face Shape Analysis', category: 'analysis', status: 'active', costTokens: 3, description: 'Classifies a face as oval, round, square, heart, oblong or diamond, with the measured ratios.' },
  { slug: 'style-consultation', name: 'Style Consultation', category: 'consultation', status: 'active', costTokens: 4, description: 'Recommends frame styles for a face shape and taste, with the reasons for each.' },
  { slug: 'fit-consultation', name: 'Fit Consultation', category: 'consultation', status: 'active', costTokens: 4, description: 'Checks lens width, bridge and temple length against the shopper’s measurements.' },
  { slug: 'eyewear-recommendations', name: 'Eyewear Recommendations', category: 'discovery', status: 'active', costTokens: 2, description: 'Ranks the brand’s catalog for one shopper from face shape, fit and preferences.' },
  { slug: 'pd-calculator', name: 'PD Calculator', category: 'measurement', status: 'active', costTokens: 1, description: 'Measures pupillary distance in millimetres from a photo with a reference card.' },
  { slug: 'frame-finder', name: 'Frame Finder', category: 'discovery', status: 'active', costTokens: 2, description: 'Filters frames by shape, size, material, colour and price in a guided flow.' },
  { slug: 'contact-lens-try-on', name: 'Contact Lens Try-On', category: 'try-on', status: 'active', costTokens: 3, description: 'Previews coloured contact lenses on the shopper’s eyes.' },
  { slug: 'conversational-ai', name: 'Conversational AI', category: 'assistant', status: 'active', costTokens: 3, description: 'An eyewear-savvy shopping assistant that answers questions and suggests frames.' },
  { slug: 'advanced-analytics', name: 'Advanced Analytics', category: 'analytics', status: 'active', costTokens: 10, description: 'Usage trends, top apps and a forecast of when the token balance runs out.' },
];
