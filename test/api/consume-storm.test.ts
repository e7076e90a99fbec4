// Concurrency against the real API and Redis: the balance is never overdrawn, a key is never
// debited twice, and the ledger ends up with exactly one row per debit.
import { randomUUID } from 'node:crypto';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { readCachedBalance } from '../../domain/metering/scripts';
import { startApi, type TestApi } from '../support/api-server';
import { consume, ledgerRows, meteredBrand, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  // The per-second fair-use ceiling is not under test here.
  api = await startApi({ CONSUME_RATE_PER_SECOND: '1000000' });
});
afterAll(() => api.close());

/**
 * A brand of 100 tokens whose balance is already cached: the storm tests the debit script, not
 * the first rebuild (on a loaded machine that can outlast BALANCE_REBUILD_TIMEOUT_MS and answer
 * 503 by design; test/domain/metering/balance-rebuild.test.ts covers that path).
 */
async function warmBrand() {
  const b = await meteredBrand(api, { tokens: 100 });
  await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
  return b;
}

// 1,000 requests at once: a few seconds alone, but 20-40 s when the whole suite loads both cores
// (the repeated-key storm waits on PostgreSQL lookups for a brand without a filter yet).
jest.setTimeout(90_000);

describe('a storm of consumes', () => {
  it('lets exactly 100 of 1,000 concurrent 1-token uses through a 100-token balance', async () => {
    const b = await warmBrand();
    const results = await Promise.all(Array.from({ length: 1_000 }, () => consume(api, b.apiKey, { app: 'pd-calculator' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(100);
    expect(results.filter((r) => r.status === 402 && r.body.error.code === 'INSUFFICIENT_TOKENS')).toHaveLength(900);
    expect(Math.min(...results.filter((r) => r.status === 200).map((r) => r.body.remainingTokens))).toBe(0);
    expect((await readCachedBalance(api.deps.redis, b.customerId, Date.now()))?.availableTokens).toBe(0);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 100, sum: -100 });
  });

  it('debits each key once when 30% of the storm repeats earlier keys', async () => {
    const b = await warmBrand();
    const keys = Array.from({ length: 700 }, () => randomUUID());
    const sent = [...keys, ...Array.from({ length: 300 }, (_v, i) => keys[(i * 7) % 700]!)];
    const results = await Promise.all(sent.map((key) => consume(api, b.apiKey, { app: 'pd-calculator' }, key).then((r) => ({ key, ...r }))));
    const ok = results.filter((r) => r.status === 200);
    const usageIds = new Set(ok.map((r) => r.body.usageId));
    expect(usageIds.size).toBe(100);
    // Every answer for one key names the same use; all but the first say so.
    const byKey = new Map<string, Set<string>>();
    for (const r of ok) byKey.set(r.key, (byKey.get(r.key) ?? new Set()).add(r.body.usageId));
    expect([...byKey.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(ok.filter((r) => r.body.replayed)).toHaveLength(ok.length - 100);
    expect(results.filter((r) => r.status !== 200 && r.status !== 402).map((r) => [r.status, r.body.error?.code])).toEqual([]);
    expect((await readCachedBalance(api.deps.redis, b.customerId, Date.now()))?.availableTokens).toBe(0);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 100, sum: -100 });
  });
});
