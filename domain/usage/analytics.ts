// Usage of one brand over a range, from the rollups only (never token_usage): usage_daily by day,
// usage_hourly by hour, so a 90-day range reads about (days × apps × keys) rows, whatever the
// number of debits.
// Test keys' uses never reach PostgreSQL (they spend from the Redis sandbox): `mode=test` reads
// the sandbox's days instead (sandbox-analytics.ts), summed here into the same answer.
import type { Sql } from '../infra/raw-sql';
import { fromBigintColumn } from '../units';
import { bucketStarts, rollupOf, type UsageRange } from './range';

export interface UsageCounts {
  uses: number;
  tokens: number;
}

export interface UsageAnalytics {
  from: string;
  to: string;
  granularity: UsageRange['granularity'];
  mode: UsageRange['mode'];
  totals: { uses: number; tokens: number; refundedUses: number; refundedTokens: number; netTokens: number };
  /** Net of refunds, every bucket present. */
  series: { at: string; byApp: Record<string, UsageCounts> }[];
  /** Most tokens first: the top apps. */
  apps: { slug: string; name: string; uses: number; tokens: number; refundedTokens: number }[];
  /** Per api key, most tokens first; only when asked for (admins). Uses through no key are in the totals only. */
  keys: { id: string; name: string; prefix: string; mode: UsageRange['mode']; uses: number; tokens: number }[];
}

/** One bucket, app and key's sums, as the rollup query (or the sandbox's days) give them. */
export interface BucketRow {
  at: Date;
  slug: string;
  name: string;
  key_id: string | null;
  key_name: string | null;
  key_prefix: string | null;
  key_mode: UsageRange['mode'] | null;
  uses: string;
  tokens: string;
  refunded_uses: string;
  refunded_tokens: string;
}

const n = (v: string | number, what: string) => fromBigintColumn(String(v), what);

/**
 * The rollup rows of a range summed per bucket and app (and key, for admins): one scan of the
 * range's rows for series, apps, totals and keys alike. Exported for the benchmark, which times
 * the whole of usageAnalytics.
 */
export const bucketQuery = (withKeys: boolean, granularity: UsageRange['granularity']) => {
  const { table, bucket } = rollupOf(granularity);
  return `with agg as (
     select h.${bucket} as at, h.app_id, ${withKeys ? 'h.api_key_id' : 'null::uuid as api_key_id'}, sum(h.uses) as uses, sum(h.tokens) as tokens,
            sum(h.refunded_uses) as refunded_uses, sum(h.refunded_tokens) as refunded_tokens
       from ${table} h
      where h.customer_id = ? and h.mode = ? and h.${bucket} >= ? and h.${bucket} < ?
      group by 1, 2, 3
   )
   select agg.*, a.slug, a.name, k.id as key_id, k.name as key_name, k.prefix as key_prefix, k.mode as key_mode
     from agg join apps a on a.id = agg.app_id left join api_keys k on k.id = agg.api_key_id`;
};

export const bucketParams = (customerId: string, r: Pick<UsageRange, 'mode' | 'startMs' | 'endMs'>) => [customerId, r.mode, new Date(r.startMs), new Date(r.endMs)];

export async function usageAnalytics(sql: Sql, customerId: string, r: UsageRange, opts: { withKeys: boolean }): Promise<UsageAnalytics> {
  return analyticsOf(await sql.query<BucketRow>(bucketQuery(opts.withKeys, r.granularity), bucketParams(customerId, r)), r);
}

/** The answer from a range's bucket rows, whichever store they came from. */
export function analyticsOf(rows: readonly BucketRow[], r: UsageRange): UsageAnalytics {
  const series = new Map(bucketStarts(r).map((t) => [t, {} as Record<string, UsageCounts>]));
  const apps = new Map<string, UsageAnalytics['apps'][number]>();
  const keys = new Map<string, UsageAnalytics['keys'][number]>();
  const totals = { uses: 0, tokens: 0, refundedUses: 0, refundedTokens: 0, netTokens: 0 };
  for (const row of rows) {
    const uses = n(row.uses, 'uses');
    const tokens = n(row.tokens, 'tokens');
    const refundedUses = n(row.refunded_uses, 'refunded uses');
    const refundedTokens = n(row.refunded_tokens, 'refunded tokens');
    const bucket = series.get(new Date(row.at).getTime());
    if (bucket) {
      const c = (bucket[row.slug] ??= { uses: 0, tokens: 0 });
      c.uses += uses - refundedUses;
      c.tokens += tokens - refundedTokens;
    }
    const app = apps.get(row.slug) ?? { slug: row.slug, name: row.name, uses: 0, tokens: 0, refundedTokens: 0 };
    app.uses += uses;
    app.tokens += tokens;
    app.refundedTokens += refundedTokens;
    apps.set(row.slug, app);
    // A use through no key (the portal) counts in the totals only.
    if (row.key_id) {
      const key = keys.get(row.key_id) ?? { id: row.key_id, name: row.key_name ?? '', prefix: row.key_prefix ?? '', mode: row.key_mode ?? r.mode, uses: 0, tokens: 0 };
      key.uses += uses;
      key.tokens += tokens;
      keys.set(row.key_id, key);
    }
    totals.uses += uses;
    totals.tokens += tokens;
    totals.refundedUses += refundedUses;
    totals.refundedTokens += refundedTokens;
  }
  totals.netTokens = totals.tokens - totals.refundedTokens;
  return {
    from: r.from,
    to: r.to,
    granularity: r.granularity,
    mode: r.mode,
    totals,
    series: [...series].map(([t, byApp]) => ({ at: new Date(t).toISOString(), byApp })),
    apps: [...apps.values()].sort((a, b) => b.tokens - a.tokens || a.slug.localeCompare(b.slug)),
    keys: [...keys.values()].sort((a, b) => b.tokens - a.tokens || a.name.localeCompare(b.name)),
  };
}
