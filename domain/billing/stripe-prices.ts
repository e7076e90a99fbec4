// The Stripe price of a plan or pack: the id stored by `npm run stripe:sync`, else found by its
// lookup key, as the sync would.
import type Stripe from 'stripe';

export class MissingStripePriceError extends Error {}

export async function stripePriceId(stripe: Stripe, item: { lookupKey: string; stripePriceId?: string | null }): Promise<string> {
  if (item.stripePriceId) return item.stripePriceId;
  const prices = await stripe.prices.list({ lookup_keys: [item.lookupKey], active: true, limit: 1 });
  const price = prices.data[0];
  if (!price) throw new MissingStripePriceError(`no Stripe price for ${item.lookupKey}; run npm run stripe:sync`);
  return price.id;
}
