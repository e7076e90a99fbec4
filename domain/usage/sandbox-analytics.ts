// Test-mode usage analytics: test keys spend from the Redis sandbox and never reach PostgreSQL,
// so their uses are read from the sandbox's day hashes (domain/metering/sandbox-days.ts), one
// pipelined HGETALL per day of the range (at most 366, one cluster slot), then named from
// PostgreSQL (apps, the brand's keys) and shaped as the rollup's rows, so the answer and the CSV
// are the live ones' exactly. A deleted key's uses count with no key, as the live join does.
import type { RedisClient } from '../infra/redis';
import type { Sql } from '../infra/raw-sql';
import { meteringKeys } from '../metering/keys';
import { pgArray } from '../metering/pg-array';
import { parseSandboxDay, type SandboxDayCell } from '../metering/sandbox-days';
import type { BucketRow } from './analytics';
import { dayMs, hourMs, type UsageRange } from './range';

/** A day's cells, summed into the range's buckets. */
type Sums = Omit<SandboxDayCell, 'hour'> & { atMs: number };

/** The range's test uses summed per bucket, app and (when asked) key. */
async function sandboxSums(redis: RedisClient, customerId: string, r: UsageRange, withKeys: boolean): Promise<Sums[]> {
  const keys = meteringKeys(customerId);
  const days: number[] = [];
  for (let t = r.startMs; t < r.endMs; t += dayMs) days.push(t);
  const pipeline = redis.pipeline();
  for (const day of days) pipeline.hgetall(keys.sandboxDay(day));
  const replies = (await pipeline.exec()) ?? [];
  const sums = new Map<string, Sums>();
  days.forEach((day, i) => {
    const [err, hash] = replies[i] ?? [null, {}];
    if (err) throw err;
    for (const cell of parseSandboxDay(hash as Record<string, string>)) {
      const atMs = r.granularity === 'hour' ? day + cell.hour * hourMs : day;
      const keyId = withKeys ? cell.keyId : null;
      const id = `${atMs}|${cell.appId}|${keyId ?? ''}`;
      const s = sums.get(id) ?? { atMs, appId: cell.appId, keyId, uses: 0, tokens: 0, refundedUses: 0, refundedTokens: 0 };
      s.uses += cell.uses;
      s.tokens += cell.tokens;
      s.refundedUses += cell.refundedUses;
      s.refundedTokens += cell.refundedTokens;
      sums.set(id, s);
    }
  });
  return [...sums.values()];
}

/**
 * The range's test uses as the rollup query's rows, in the export's order (bucket, app, key name
 * with no key first). Ids are compared as text: a field is only as well formed as its writer.
 */
export async function sandboxBucketRows(sql: Sql, redis: RedisClient, customerId: string, r: UsageRange, opts: { withKeys: boolean }): Promise<BucketRow[]> {
  const sums = await sandboxSums(redis, customerId, r, opts.withKeys);
  if (sums.length === 0) return [];
  const appIds = [...new Set(sums.map((s) => s.appId))];
  const keyIds = [...new Set(sums.flatMap((s) => (s.keyId ? [s.keyId] : [])))];
  const [apps, keys] = await Promise.all([
    sql.query<{ id: string; slug: string; name: string }>('select id::text as id, slug, name from apps where id::text = any(?::text[])', [pgArray(appIds)]),
    keyIds.length === 0
      ? []
      : sql.query<{ id: string; name: string; prefix: string; mode: UsageRange['mode'] }>(
          'select id::text as id, name, prefix, mode from api_keys where customer_id = ? and id::text = any(?::text[])',
          [customerId, pgArray(keyIds)],
        ),
  ]);
  const appOf = new Map(apps.map((a) => [a.id, a]));
  const keyOf = new Map(keys.map((k) => [k.id, k]));
  const rows: BucketRow[] = [];
  for (const s of sums) {
    const app = appOf.get(s.appId);
    if (!app) continue;
    const key = s.keyId ? keyOf.get(s.keyId) : undefined;
    rows.push({
      at: new Date(s.atMs), slug: app.slug, name: app.name,
      key_id: key?.id ?? null, key_name: key?.name ?? null, key_prefix: key?.prefix ?? null, key_mode: key?.mode ?? null,
      uses: String(s.uses), tokens: String(s.tokens), refunded_uses: String(s.refundedUses), refunded_tokens: String(s.refundedTokens),
    });
  }
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime() || a.slug.localeCompare(b.slug) || byKey(a, b));
}

/** No key first, then by name, then id: the live export's `k.name nulls first, api_key_id`. */
function byKey(a: BucketRow, b: BucketRow): number {
  if (a.key_name === null || b.key_name === null) return a.key_name === b.key_name ? 0 : a.key_name === null ? -1 : 1;
  return a.key_name.localeCompare(b.key_name) || (a.key_id ?? '').localeCompare(b.key_id ?? '');
}
