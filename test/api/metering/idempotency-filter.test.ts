// The per-brand idempotency filter on the real stack: a fresh key is debited without asking
// PostgreSQL, an old key is still replayed from it, and whatever Redis loses (the filter, its
// newest bits, a pass that never committed) costs a lookup or a rebuild, never a use billed twice.
import { randomUUID } from 'node:crypto';
import { addToFilter, buildFilter, createEmptyFilter, dropFilter, filterBits, filterBitsFor, filterShape, replaceFilter } from '../../../domain/metering/idempotency-filter';
import { meteringKeys } from '../../../domain/metering/keys';
import { readCachedBalance } from '../../../domain/metering/scripts';
import { startApi, type TestApi } from '../../support/api-server';
import { consume, ledgerRows, meteredBrand, reconcileNow } from '../../support/metering';

let api: TestApi;
let lookups: string[] = [];

beforeAll(async () => {
  api = await startApi();
  // Counts what reaches PostgreSQL's archive, by wrapping the real one.
  const archive = api.deps.metering.archive;
  const lookup = archive.lookup.bind(archive);
  archive.lookup = (customerId, key) => {
    lookups.push(key);
    return lookup(customerId, key);
  };
});
afterAll(() => api.close());
beforeEach(() => {
  lookups = [];
});

const use = (apiKey: string, key: string = randomUUID()) => consume(api, apiKey, { app: 'pd-calculator' }, key);
const filterOf = (customerId: string) => api.deps.redis.getBuffer(meteringKeys(customerId).idempotencyFilter);
const forgetRecent = (customerId: string, key: string) => api.deps.redis.del(meteringKeys(customerId).idempotency(key));

/** A brand whose first use has been reconciled, so its filter exists. */
async function reconciledBrand(tokens = 100) {
  const b = await meteredBrand(api, { tokens });
  const first = randomUUID();
  expect((await use(b.apiKey, first)).status).toBe(200);
  await reconcileNow(api, b.customerId);
  expect(await filterOf(b.customerId)).not.toBeNull();
  lookups = [];
  return { ...b, first };
}

describe('idempotency filter', () => {
  it('debits a fresh key without asking PostgreSQL once the brand has a filter', async () => {
    const b = await reconciledBrand();
    for (let i = 0; i < 20; i++) expect((await use(b.apiKey)).body.replayed).toBe(false);
    expect(lookups).toEqual([]);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 21, sum: -21 });
  });

  it('asks PostgreSQL about every key while the brand has no filter, and the next pass builds it', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    const key = randomUUID();
    expect((await use(b.apiKey, key)).status).toBe(200);
    expect(lookups).toEqual([key]);
    await reconcileNow(api, b.customerId);
    lookups = [];
    await use(b.apiKey);
    expect(lookups).toEqual([]);
  });

  it('replays a reconciled key from PostgreSQL once Redis has forgotten it', async () => {
    const b = await reconciledBrand();
    await forgetRecent(b.customerId, b.first);
    const again = await use(b.apiKey, b.first);
    expect(again.body.replayed).toBe(true);
    expect(lookups).toEqual([b.first]);
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 1, sum: -1 });
  });

  it('replays old keys and rebuilds the filter with every recorded key after Redis lost it', async () => {
    const b = await reconciledBrand();
    const keys = Array.from({ length: 30 }, () => randomUUID());
    for (const k of keys) await use(b.apiKey, k);
    await reconcileNow(api, b.customerId);
    await dropFilter(api.deps.redis, b.customerId);
    await forgetRecent(b.customerId, keys[0]!);
    expect((await use(b.apiKey, keys[0]!)).body.replayed).toBe(true);
    const fresh = randomUUID();
    expect((await use(b.apiKey, fresh)).body.replayed).toBe(false);
    expect(lookups).toEqual([keys[0], fresh]);
    await reconcileNow(api, b.customerId);
    // Rebuilt from token_usage: every key the brand ever used is in it again.
    const rebuilt = (await filterOf(b.customerId))!;
    const expected = buildFilter([b.first, ...keys, fresh], filterBitsFor(32));
    expect(rebuilt.equals(expected)).toBe(true);
    expect(Number(await api.deps.redis.get(meteringKeys(b.customerId).idempotencyFilterCount))).toBe(32);
  });

  it('treats a key a failed pass left in the filter as a lookup, and debits it once', async () => {
    const b = await reconciledBrand();
    const key = randomUUID();
    // A pass that set its bits and then never committed: PostgreSQL has no such key.
    await addToFilter(api.deps.redis, b.customerId, [key]);
    const res = await use(b.apiKey, key);
    expect(res.body.replayed).toBe(false);
    expect(lookups).toEqual([key]);
    expect((await use(b.apiKey, key)).body).toEqual({ ...res.body, replayed: true });
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 2, sum: -2 });
  });

  it('bills a key once when Redis lost its newest bits, and drops the filter and balance that missed it', async () => {
    const b = await reconciledBrand();
    // A failover that lost the bits and the record of a key just reconciled.
    await createEmptyFilter(api.deps.redis, b.customerId);
    await forgetRecent(b.customerId, b.first);
    const readmitted = await use(b.apiKey, b.first);
    expect(readmitted.status).toBe(200);
    await reconcileNow(api, b.customerId);
    // The ledger counted the use once; the filter and the cached balance that believed otherwise are gone.
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 1, sum: -1 });
    expect(await filterOf(b.customerId)).toBeNull();
    expect(await readCachedBalance(api.deps.redis, b.customerId, Date.now())).toBeNull();
    await forgetRecent(b.customerId, b.first);
    expect((await use(b.apiKey, b.first)).body.replayed).toBe(true);
    expect((await readCachedBalance(api.deps.redis, b.customerId, Date.now()))?.availableTokens).toBe(99);
  });

  it('grows a filter that fills up, from token_usage', async () => {
    const b = await reconciledBrand();
    const k = meteringKeys(b.customerId);
    // A thousand older uses, and a filter that has taken in as many keys as its size allows.
    await api.deps.orm.em.getConnection().execute(
      `insert into token_usage (id, customer_id, app_id, idempotency_key, request_hash, tokens, debited_at)
       select gen_random_uuid(), ?, (select id from apps where slug = 'pd-calculator'), 'older-' || g, repeat('a', 64), 1, now() - interval '1 day'
         from generate_series(1, 1000) g`,
      [b.customerId],
    );
    await replaceFilter(api.deps.redis, b.customerId, buildFilter([b.first], filterShape.minBits), Math.ceil(filterShape.minBits / filterShape.fullBitsPerKey));
    await use(b.apiKey);
    await reconcileNow(api, b.customerId);
    expect(await api.deps.redis.get(k.idempotencyFilterCount)).toBe('1002');
    expect(await api.deps.redis.strlen(k.idempotencyFilter)).toBe(filterBitsFor(1002) / 8);
    expect(filterBitsFor(1002)).toBeGreaterThan(filterShape.minBits);
    // An older key is known again: asked of PostgreSQL, which holds it under another body.
    expect((await use(b.apiKey, 'older-7')).status).toBe(409);
    expect(lookups).toContain('older-7');
  });

  it('sets the same bits in Lua as in Node, and counts each key whose bits were not all set', async () => {
    const customerId = randomUUID();
    // More than one BITFIELD call's worth of keys, and one key twice.
    const keys = Array.from({ length: 700 }, (_, i) => (i % 2 ? randomUUID() : `order-${i}-ä€`));
    keys.push(keys[3]!);
    await createEmptyFilter(api.deps.redis, customerId);
    expect(await addToFilter(api.deps.redis, customerId, keys)).toBe('added');
    const bits = filterBitsFor(0);
    expect((await filterOf(customerId))!.equals(buildFilter(keys, bits))).toBe(true);
    // The same count, key by key, in Node: a key adds one when either of its bits was clear.
    const seen = new Set<number>();
    let added = 0;
    for (const key of keys) {
      const [a, b] = filterBits(key, bits);
      if (!seen.has(a!) || !seen.has(b!)) added += 1;
      seen.add(a!).add(b!);
    }
    expect(Number(await api.deps.redis.get(meteringKeys(customerId).idempotencyFilterCount))).toBe(added);
    expect(added).toBeLessThan(keys.length);
    await dropFilter(api.deps.redis, customerId);
  });
});
