// Use of the apps (the usage_daily rollup, never token_usage) and how long brands take from
// sign-up to their storefront's first call (widget_first_calls).
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromBigintColumn } from '../units';
import type { CatalogApp } from './metrics-adoption';
import { percentile } from './percentile';

export const usageWindowDays = 30;

export interface AppUsage {
  slug: string;
  uses: number;
  tokens: number;
  activeBrands: number;
  /** tokens ÷ activeBrands, rounded; 0 without active brands. */
  tokensPerActiveBrand: number;
}

export interface TimeToFirstCall {
  brands: number;
  /** Null when no brand has made a first call. */
  medianHours: number | null;
  p90Hours: number | null;
}

const int = (v: string | number | null | undefined, what: string) => fromBigintColumn(v ?? 0, what);

/** Live uses and tokens net of refunds over the last 30 UTC days (today included), per app. */
export async function usagePerActiveApp(em: EntityManager, apps: CatalogApp[], now: Date): Promise<AppUsage[]> {
  const conn = em.getConnection();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (usageWindowDays - 1)));
  const used = await conn.execute<{ slug: string; uses: string; tokens: string }[]>(
    `select a.slug, s.uses, s.tokens
       from (select app_id, sum(uses - refunded_uses) as uses, sum(tokens - refunded_tokens) as tokens
               from usage_daily where mode = 'live' and day >= ? and day <= ? group by app_id) s
       join apps a on a.id = s.app_id`,
    [since, now],
  );
  const active = await conn.execute<{ slug: string; brands: string }[]>(
    `select a.slug, count(*) as brands from customer_apps ca join apps a on a.id = ca.app_id where ca.status = 'active' group by a.slug`,
  );
  const usedBy = new Map(used.map((r) => [r.slug, r]));
  const activeBy = new Map(active.map((r) => [r.slug, int(r.brands, 'active brands')]));
  return apps.map(({ slug }) => {
    const tokens = Math.max(0, int(usedBy.get(slug)?.tokens, 'tokens'));
    const activeBrands = activeBy.get(slug) ?? 0;
    return { slug, uses: Math.max(0, int(usedBy.get(slug)?.uses, 'uses')), tokens, activeBrands, tokensPerActiveBrand: activeBrands === 0 ? 0 : Math.round(tokens / activeBrands) };
  });
}

const tenths = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10);

/** From the brand's creation to its first storefront call of any app, live or test, in hours. */
export async function timeToFirstCall(em: EntityManager): Promise<TimeToFirstCall> {
  const rows = await em.getConnection().execute<{ hours: number | string }[]>(
    `select extract(epoch from (f.first_call_at - c.created_at)) / 3600.0 as hours
       from (select customer_id, min(first_call_at) as first_call_at from widget_first_calls group by customer_id) f
       join customers c on c.id = f.customer_id`,
  );
  const hours = rows.map((r) => Math.max(0, Number(r.hours)));
  return { brands: hours.length, medianHours: tenths(percentile(hours, 50)), p90Hours: tenths(percentile(hours, 90)) };
}
