// A brand with known rows in the usage_hourly rollup, for the analytics and export tests: written
// straight into the rollup (what the reconciler would have left), so every figure is known.
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
    await api.deps.orm.em.getConnection().execute(
      `insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens, refunded_uses, refunded_tokens)
       select ?, ?, ?, id, ?, ?, ?, ?, ? from apps where slug = ?`,
      [customerId, mode, hour, key, uses, tokens, refundedUses, refundedTokens, slug],
    );
  }
  return { customerId, admin, keys };
}
