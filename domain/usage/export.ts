// The CSV export of usage analytics: one line per bucket and app (and key, for admins), read from
// the rollup through a cursor a page at a time, so a year of hourly rows for many keys streams
// without being held in memory.
import type { MikroORM } from '@mikro-orm/postgresql';
import { cursorRows } from '../infra/raw-cursor';
import { fromBigintColumn } from '../units';
import { csvLine } from './csv';
import { rollupOf, type UsageRange } from './range';

export type ExportLevel = 'app' | 'key';

/** One line's sums, as the rollup query (or the sandbox's days) give them. */
export interface ExportRow {
  at: Date;
  slug: string;
  name: string;
  key_id?: string | null;
  key_name?: string | null;
  key_prefix?: string | null;
  uses: string;
  tokens: string;
  refunded_uses: string;
  refunded_tokens: string;
}

export const csvHeader = (level: ExportLevel) =>
  ['bucket_start_utc', 'app', 'app_name', ...(level === 'key' ? ['api_key_id', 'api_key_name', 'api_key_prefix'] : []), 'mode', 'uses', 'tokens', 'refunded_uses', 'refunded_tokens', 'net_tokens'];

function query(level: ExportLevel, granularity: UsageRange['granularity']): string {
  const key = level === 'key';
  const { table, bucket } = rollupOf(granularity);
  return `with agg as (
     select h.${bucket} as at, h.app_id${key ? ', h.api_key_id' : ''}, sum(h.uses) as uses, sum(h.tokens) as tokens,
            sum(h.refunded_uses) as refunded_uses, sum(h.refunded_tokens) as refunded_tokens
       from ${table} h
      where h.customer_id = ? and h.mode = ? and h.${bucket} >= ? and h.${bucket} < ?
      group by 1, 2${key ? ', 3' : ''}
   )
   select agg.*, a.slug, a.name${key ? ', k.id as key_id, k.name as key_name, k.prefix as key_prefix' : ''}
     from agg join apps a on a.id = agg.app_id${key ? ' left join api_keys k on k.id = agg.api_key_id' : ''}
    order by agg.at, a.slug${key ? ', k.name nulls first, agg.api_key_id' : ''}`;
}

/** The file's text in chunks: the header, then one chunk per page of rows. */
export async function* usageCsv(orm: MikroORM, customerId: string, r: UsageRange, level: ExportLevel, pageRows = 1000): AsyncGenerator<string> {
  yield csvLine(csvHeader(level));
  const params = [customerId, r.mode, new Date(r.startMs), new Date(r.endMs)];
  for await (const page of cursorRows<ExportRow>(orm, query(level, r.granularity), params, pageRows)) {
    let chunk = '';
    for (const row of page) chunk += csvRow(row, r, level);
    yield chunk;
  }
}

/** One line of the file, whichever store the row came from. */
export function csvRow(row: ExportRow, r: UsageRange, level: ExportLevel): string {
  const uses = fromBigintColumn(row.uses, 'uses');
  const tokens = fromBigintColumn(row.tokens, 'tokens');
  const refundedTokens = fromBigintColumn(row.refunded_tokens, 'refunded tokens');
  return csvLine([
    new Date(row.at).toISOString(), row.slug, row.name,
    ...(level === 'key' ? [row.key_id ?? null, row.key_name ?? null, row.key_prefix ?? null] : []),
    r.mode, uses, tokens, fromBigintColumn(row.refunded_uses, 'refunded uses'), refundedTokens, tokens - refundedTokens,
  ]);
}
