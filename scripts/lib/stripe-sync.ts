// Finds or creates the Stripe price of every plan and pack by its lookup key, and records the
// price id. On real Stripe a second run finds what the first created; nothing is duplicated.
import type { MikroORM } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { BillingPlan, TokenPack } from '../../domain/entities';

interface Sellable {
  lookupKey: string;
  name: string;
  priceCents: number;
  currency: string;
  stripePriceId?: string;
}

export interface SyncResult {
  found: string[];
  created: string[];
}

export async function syncStripeCatalog(orm: MikroORM, stripe: Stripe): Promise<SyncResult> {
  const em = orm.em.fork();
  const plans = await em.find(BillingPlan, {}, { orderBy: { lookupKey: 'asc' } });
  const packs = await em.find(TokenPack, {}, { orderBy: { lookupKey: 'asc' } });
  const items: { row: Sellable; recurring: boolean }[] = [
    ...plans.map((row) => ({ row, recurring: true })),
    ...packs.map((row) => ({ row, recurring: false })),
  ];
  const existing = await stripe.prices.list({ lookup_keys: items.map((i) => i.row.lookupKey), active: true, limit: 100 });
  const byKey = new Map(existing.data.filter((p) => p.lookup_key).map((p) => [p.lookup_key!, p]));
  const result: SyncResult = { found: [], created: [] };
  for (const { row, recurring } of items) {
    let price = byKey.get(row.lookupKey);
    // A price whose amount changed is a new price; Stripe prices are immutable.
    if (price && price.unit_amount === row.priceCents && price.currency === row.currency) {
      result.found.push(row.lookupKey);
    } else {
      price = await stripe.prices.create(
        {
          lookup_key: row.lookupKey,
          transfer_lookup_key: true,
          unit_amount: row.priceCents,
          currency: row.currency,
          product_data: { name: `VARAi ${row.name}`, metadata: { lookupKey: row.lookupKey } },
          metadata: { lookupKey: row.lookupKey },
          ...(recurring ? { recurring: { interval: 'month' as const } } : {}),
        },
        { idempotencyKey: `price:${row.lookupKey}:${row.priceCents}:${row.currency}` },
      );
      result.created.push(row.lookupKey);
    }
    row.stripePriceId = price.id;
  }
  await em.flush();
  return result;
}
