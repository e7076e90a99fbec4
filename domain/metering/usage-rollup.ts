// The usage_hourly rollup's share of a batch: the debits a batch inserted, summed per app, key and
// UTC hour in JS (a batch of thousands of debits becomes a handful of rows), and the refunds it
// wrote for the first time, netted into the hour, app and key of the use each gives back (read
// from that use's token_usage row: refunds are rare, and their stream entry names no key).
// The caller runs this as a CTE of the statement that writes the batch's ledger entries, so the
// rollup costs no round trip and moves exactly when the rows it sums do.
import { pgArray } from './pg-array';
import type { DebitEntry } from './stream-entries';

const hourMs = 3_600_000;

export interface HourlyDebits {
  appIds: string[];
  keyIds: (string | null)[];
  hourStartsMs: number[];
  uses: number[];
  tokens: number[];
}

export function hourlyDebits(inserted: readonly DebitEntry[]): HourlyDebits {
  const groups = new Map<string, { appId: string; keyId: string | null; hourMs: number; uses: number; tokens: number }>();
  for (const e of inserted) {
    const hour = Math.floor(e.debitedAtMs / hourMs) * hourMs;
    const id = `${e.appId}\n${e.apiKeyId ?? ''}\n${hour}`;
    const g = groups.get(id);
    if (g) {
      g.uses += 1;
      g.tokens += e.costTokens;
    } else groups.set(id, { appId: e.appId, keyId: e.apiKeyId, hourMs: hour, uses: 1, tokens: e.costTokens });
  }
  const rows = [...groups.values()];
  return { appIds: rows.map((r) => r.appId), keyIds: rows.map((r) => r.keyId), hourStartsMs: rows.map((r) => r.hourMs), uses: rows.map((r) => r.uses), tokens: rows.map((r) => r.tokens) };
}

/**
 * A data-modifying CTE named `hourly`; its parameters, in order, come from `rollupParams`. A key
 * counts only if it is the customer's, as token_usage records it; a use through no key is live.
 * The two sources are grouped again in SQL so one bucket is upserted once per statement.
 */
export const rollupCte = `hourly as (
       insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens, refunded_uses, refunded_tokens)
       select ?, coalesce(k.mode, 'live'), h.hour, h.app_id, k.id, sum(h.uses), sum(h.tokens), sum(h.refunded_uses), sum(h.refunded_tokens)
         from (
           select to_timestamp(d.t / 1000.0) as hour, d.app_id, d.key_id, d.uses::bigint as uses, d.tokens, 0::bigint as refunded_uses, 0::bigint as refunded_tokens
             from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::int[], ?::bigint[]) as d(app_id, key_id, t, uses, tokens)
           union all
           select date_trunc('hour', u.debited_at, 'UTC'), u.app_id, u.api_key_id, 0, 0, 1, u.tokens
             from token_usage u where u.id = any(?::uuid[]) and u.customer_id = ?
         ) h
         left join api_keys k on k.id = h.key_id and k.customer_id = ?
        group by 2, 3, 4, 5
       on conflict (customer_id, mode, hour, app_id, api_key_id) do update
         set uses = usage_hourly.uses + excluded.uses, tokens = usage_hourly.tokens + excluded.tokens,
             refunded_uses = usage_hourly.refunded_uses + excluded.refunded_uses, refunded_tokens = usage_hourly.refunded_tokens + excluded.refunded_tokens
     )`;

export function rollupParams(customerId: string, inserted: readonly DebitEntry[], newRefunds: readonly DebitEntry[]): unknown[] {
  const d = hourlyDebits(inserted);
  return [
    customerId,
    pgArray(d.appIds), pgArray(d.keyIds), pgArray(d.hourStartsMs), pgArray(d.uses), pgArray(d.tokens),
    pgArray(newRefunds.map((e) => e.usageId)), customerId,
    customerId,
  ];
}
