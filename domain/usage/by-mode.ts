// The one place usage analytics choose their store by mode: live uses from the PostgreSQL
// rollups the reconciler keeps, test uses from the Redis sandbox's days (never reconciled).
// Both answer the same shapes, so the route and the portal page never tell them apart.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../infra/redis';
import { ormSql } from '../infra/raw-sql';
import { analyticsOf, usageAnalytics, type UsageAnalytics } from './analytics';
import { csvLine } from './csv';
import { csvHeader, csvRow, usageCsv, type ExportLevel } from './export';
import type { UsageRange } from './range';
import { sandboxBucketRows } from './sandbox-analytics';

export interface UsageStores {
  orm: MikroORM;
  redis: RedisClient;
}

export async function analyticsByMode(stores: UsageStores, customerId: string, r: UsageRange, opts: { withKeys: boolean }): Promise<UsageAnalytics> {
  const sql = ormSql(stores.orm.em.fork());
  if (r.mode === 'live') return usageAnalytics(sql, customerId, r, opts);
  return analyticsOf(await sandboxBucketRows(sql, stores.redis, customerId, r, opts), r);
}

/** The CSV's chunks. A test range is at most 366 days × 24 hours of a sandbox's few apps and keys: read whole, then written a page at a time. */
export async function* csvByMode(stores: UsageStores, customerId: string, r: UsageRange, level: ExportLevel, pageRows = 1000): AsyncGenerator<string> {
  if (r.mode === 'live') {
    yield* usageCsv(stores.orm, customerId, r, level, pageRows);
    return;
  }
  yield csvLine(csvHeader(level));
  const rows = await sandboxBucketRows(ormSql(stores.orm.em.fork()), stores.redis, customerId, r, { withKeys: level === 'key' });
  for (let i = 0; i < rows.length; i += pageRows) yield rows.slice(i, i + pageRows).map((row) => csvRow(row, r, level)).join('');
}
