// Auto top-up's settings: read by any staff role, changed by admins (with the consent to turn it on).
import { send } from './api';
import type { Body, Ok } from './types';

export type AutoTopUp = Ok<'getApiBillingAutoTopUp'>;
export type AutoTopUpChange = Body<'putApiBillingAutoTopUp'>;
export type AutoTopUpPack = NonNullable<AutoTopUpChange['packId']>;

export const autoTopUpApi = {
  load: () => send<AutoTopUp>('GET', '/api/billing/auto-top-up'),
  save: (change: AutoTopUpChange) => send<Ok<'putApiBillingAutoTopUp'>>('PUT', '/api/billing/auto-top-up', change),
};

/** The packs it may buy, in the words of the Billing page's token packs. */
export const autoTopUpPacks: { id: AutoTopUpPack; label: string }[] = [
  { id: 'tokens_1k', label: '1,000 tokens' },
  { id: 'tokens_5k', label: '5,000 tokens' },
  { id: 'tokens_10k', label: '10,000 tokens' },
];
