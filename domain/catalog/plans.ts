// Plans and token packs, by Stripe lookup key. Prices are cents in USD.
export interface PlanDefinition {
  lookupKey: 'starter' | 'professional' | 'enterprise';
  name: string;
  /** Null is unlimited. */
  allowanceTokens: number | null;
  priceCents: number;
}

export interface PackDefinition {
  lookupKey: 'tokens_1k' | 'tokens_5k' | 'tokens_10k';
  name: string;
  tokens: number;
  priceCents: number;
}

export const planCatalog: readonly PlanDefinition[] = [
  { lookupKey: 'starter', name: 'Starter', allowanceTokens: 1_000, priceCents: 2_900 },
  { lookupKey: 'professional', name: 'Professional', allowanceTokens: 10_000, priceCents: 19_900 },
  { lookupKey: 'enterprise', name: 'Enterprise', allowanceTokens: null, priceCents: 99_900 },
];

export const packCatalog: readonly PackDefinition[] = [
  { lookupKey: 'tokens_1k', name: '1,000 tokens', tokens: 1_000, priceCents: 3_900 },
  { lookupKey: 'tokens_5k', name: '5,000 tokens', tokens: 5_000, priceCents: 17_900 },
  { lookupKey: 'tokens_10k', name: '10,000 tokens', tokens: 10_000, priceCents: 29_900 },
];
