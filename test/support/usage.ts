// A brand with known rows in the usage rollups, for the analytics and export tests: written
// straight into the rollup (what the reconciler would have left), so every figure is known; a
// test use straight into the sandbox's day hash (what the sandbox debit script would have left).
import type { MikroORM } from '@mikro-orm/postgresql';
import { meteringKeys } from '../../domain/metering/keys';
import { sandboxBucket, utcDayStart } from '../../domain/metering/sandbox-days';
import type { TestApi } from './api-server';
import { brandOnPlan } from './brand';
import type { Session } from './http';

export interface SeededBrand {
  customerId: string;
  admin: Session;
  keys: Record<'storefront' | 'server' | 'sandbox', string>;
}

async function createKey(admin: Session, name: string, mode: 'live' | 'test'): Promise<string> {
  const res = await admin.post('/api/api-keys', { name, appScopes: null, mode });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.apiKey.id;
}

/**
 * Live, 2026-03-01..03: 16 uses, 40 tokens, 2 uses (10 tokens) refunded; one test use on 03-02;
 * one use on each side of the range.
 */
export async function seedRollup(api: TestApi, brandName?: string): Promise<SeededBrand> {
  const { customerId, admin } = await brandOnPlan(api.url, api.deps.orm, 'starter');
  if (brandName) await api.deps.orm.em.getConnection().execute('update customers set name = ? where id = ?', [brandName, customerId]);
  const keys = { storefront: await createKey(admin, 'storefront', 'live'), server: await createKey(admin, 'server', 'live'), sandbox: await createKey(admin, 'sandbox', 'test') };
  const rows: [string, string, string, string | null, number, number, number, number][] = [
    ['live', '2026-02-28T23:00:00Z', 'pd-calculator', keys.storefront, 100, 100, 0, 0],
    ['live', '2026-03-02T10:00:00Z', 'pd-calculator', keys.storefront, 6, 6, 0, 0],
    ['live', '2026-03-02T10:00:00Z', 'pd-calculator', null, 4, 4, 0, 0],
    ['live', '2026-03-02T15:00:00Z', 'virtual-try-on', keys.storefront, 2, 10, 0, 0],
    ['test', '2026-03-02T12:00:00Z', 'virtual-try-on', keys.sandbox, 1, 5, 0, 0],
    ['live', '2026-03-03T08:00:00Z', 'pd-calculator', keys.server, 2, 2, 0, 0],
    ['live', '2026-03-03T09:00:00Z', 'virtual-try-on', keys.server, 2, 18, 2, 10],
    ['live', '2026-03-04T00:00:00Z', 'pd-calculator', keys.storefront, 100, 100, 0, 0],
  ];
  for (const [mode, hour, slug, key, uses, tokens, refundedUses, refundedTokens] of rows) {
    if (mode === 'test') {
      const [app] = await api.deps.orm.em.getConnection().execute<{ id: string }[]>('select id from apps where slug = ?', [slug]);
      const atMs = Date.parse(hour);
      const bucket = sandboxBucket(atMs, app!.id, key);
      await api.deps.redis.hset(meteringKeys(customerId).sandboxDay(utcDayStart(atMs)), `u|${bucket}`, uses, `t|${bucket}`, tokens, `ru|${bucket}`, refundedUses, `rt|${bucket}`, refundedTokens);
      continue;
    }
    await api.deps.orm.em.getConnection().execute(
      `insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens, refunded_uses, refunded_tokens)
       select ?, ?, ?, id, ?, ?, ?, ?, ? from apps where slug = ?`,
      [customerId, mode, hour, key, uses, tokens, refundedUses, refundedTokens, slug],
    );
  }
  await rollUpDays(api.deps.orm, customerId);
  return { customerId, admin, keys };
}

/** usage_daily from usage_hourly for one brand, as the reconciler keeps it, after a test wrote hourly rows directly. */
export async function rollUpDays(orm: MikroORM, customerId: string): Promise<void> {
  const conn = orm.em.getConnection();
  await conn.execute('delete from usage_daily where customer_id = ?', [customerId]);
  await conn.execute(
    `insert into usage_daily (customer_id, mode, day, app_id, api_key_id, uses, tokens, refunded_uses, refunded_tokens)
     select customer_id, mode, date_trunc('day', hour, 'UTC'), app_id, api_key_id, sum(uses), sum(tokens), sum(refunded_uses), sum(refunded_tokens)
       from usage_hourly where customer_id = ? group by 1, 2, 3, 4, 5`,
    [customerId],
  );
}
