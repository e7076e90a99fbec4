// The usage_hourly rollup (and usage_daily from it) equals token_usage summed per app, key and UTC hour (refunds included)
// after a storm of consumes, refunds and reconciliation in many small batches, and moves only
// when the rows it sums do.
import { randomUUID } from 'node:crypto';
import { inRawTransaction } from '../../domain/infra/raw-sql';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { recordDebits } from '../../domain/metering/record-debits';
import { refund } from '../../domain/metering/scripts';
import { readAllDebits } from '../../domain/metering/stream-entries';
import { startApi, type TestApi } from '../support/api-server';
import { consume, meteredBrand, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ CONSUME_RATE_PER_SECOND: '1000000' });
});
afterAll(() => api.close());

const sql = <R = Record<string, unknown>>(q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute<R[]>(q, params);

/** token_usage and the refund ledger entries, summed the way the rollup keys its rows. */
async function fromTokenUsage(customerId: string) {
  return sql(
    `select u.app_id, u.api_key_id, date_trunc('hour', u.debited_at, 'UTC') as hour, count(*)::int as uses, sum(u.tokens)::int as tokens,
            count(r.op)::int as refunded_uses, coalesce(sum(u.tokens) filter (where r.op is not null), 0)::int as refunded_tokens
       from token_usage u
       left join (select distinct operation_key as op from ledger_entries where customer_id = ? and kind = 'refund') r on r.op = 'refund:' || u.id
      where u.customer_id = ?
      group by 1, 2, 3 order by 1, 2 nulls first, 3`,
    [customerId, customerId],
  );
}

async function fromRollup(customerId: string) {
  return sql(
    `select app_id, api_key_id, hour, uses::int, tokens::int, refunded_uses::int, refunded_tokens::int
       from usage_hourly where customer_id = ? and mode = 'live' order by 1, 2 nulls first, 3`,
    [customerId],
  );
}

/** usage_daily, and usage_hourly summed per UTC day: the reconciler writes both from the same rows. */
async function dailyAgrees(customerId: string) {
  const fromHourly = await sql(
    `select app_id, api_key_id, date_trunc('day', hour, 'UTC') as day, sum(uses)::int as uses, sum(tokens)::int as tokens, sum(refunded_uses)::int as refunded_uses, sum(refunded_tokens)::int as refunded_tokens
       from usage_hourly where customer_id = ? group by 1, 2, 3 order by 1, 2 nulls first, 3`,
    [customerId],
  );
  const daily = await sql(
    `select app_id, api_key_id, day, uses::int, tokens::int, refunded_uses::int, refunded_tokens::int from usage_daily where customer_id = ? order by 1, 2 nulls first, 3`,
    [customerId],
  );
  expect(daily).toEqual(fromHourly);
}

const smallBatches = () => ({ metering: { ...api.deps.config.metering, batchSize: 37 } });

describe('the usage rollups', () => {
  it('equals token_usage per app, key and hour after a consume storm and refunds', async () => {
    const b = await meteredBrand(api, { tokens: 5_000 });
    const server = await b.admin.post('/api/api-keys', { name: 'server', appScopes: null });
    await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
    const keys = [b.apiKey, server.body.secret as string];
    const apps = ['pd-calculator', 'virtual-try-on'];
    const idem = Array.from({ length: 320 }, () => randomUUID());
    // 400 requests, a fifth of them repeating an earlier idempotency key.
    const sent = [...idem, ...idem.slice(0, 80)].map((k, i) => ({ k, key: keys[i % 2]!, app: apps[Math.floor(i / 2) % 2]! }));
    const results = await Promise.all(sent.map((s) => consume(api, s.key, { app: s.app }, s.k)));
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    await reconcileNow(api, b.customerId, smallBatches());

    const used = await sql<{ id: string; app_id: string; tokens: string; allocation: string }>('select id, app_id, tokens, allocation from token_usage where customer_id = ? order by id limit 30', [b.customerId]);
    const slugOf = Object.fromEntries((await sql<{ id: string; slug: string }>('select id, slug from apps')).map((a) => [a.id, a.slug]));
    // Thirty refunds, ten of them asked twice: the second changes nothing.
    for (const u of [...used, ...used.slice(0, 10)]) {
      await refund(api.deps.redis, { customerId: b.customerId, usageId: u.id, allocation: u.allocation, costTokens: Number(u.tokens), appId: u.app_id, appSlug: slugOf[u.app_id]!, nowMs: Date.now(), reason: 'test' });
    }
    await reconcileNow(api, b.customerId, smallBatches());

    const expected = await fromTokenUsage(b.customerId);
    expect(expected.reduce((s, r) => s + (r.uses as number), 0)).toBe(320);
    expect(expected.reduce((s, r) => s + (r.refunded_uses as number), 0)).toBe(30);
    expect(await fromRollup(b.customerId)).toEqual(expected);
    await dailyAgrees(b.customerId);
  });

  it('adds nothing when a batch already recorded is written again', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
    await Promise.all(Array.from({ length: 12 }, () => consume(api, b.apiKey, { app: 'pd-calculator' })));
    const entries = await readAllDebits(api.deps.redis, b.customerId, 100);
    await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries));
    const once = await fromRollup(b.customerId);
    await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, entries));
    expect(await fromRollup(b.customerId)).toEqual(once);
    await dailyAgrees(b.customerId);
    expect(once.reduce((s, r) => s + (r.uses as number), 0)).toBe(12);
  });

  it("counts a debit naming no key, or another brand's key, as made with no key, as token_usage does", async () => {
    const [b, other] = [await meteredBrand(api, { tokens: 100 }), await meteredBrand(api, { tokens: 100 })];
    await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId);
    await Promise.all(Array.from({ length: 3 }, () => consume(api, b.apiKey, { app: 'pd-calculator' })));
    const [foreign] = await sql<{ id: string }>('select id from api_keys where customer_id = ?', [other.customerId]);
    const [first, second, third] = await readAllDebits(api.deps.redis, b.customerId, 100);
    await inRawTransaction(api.deps.orm, (tx) => recordDebits(tx, b.customerId, [first!, { ...second!, apiKeyId: foreign!.id }, { ...third!, apiKeyId: null }]));
    const rows = await fromRollup(b.customerId);
    expect(rows).toEqual(await fromTokenUsage(b.customerId));
    expect(rows.find((r) => r.api_key_id === null)?.uses).toBe(2);
    await dailyAgrees(b.customerId);
  });
});
