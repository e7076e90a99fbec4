// The debit script on the real test Redis, called directly: every branch and both edges.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../domain/infra/config';
import { createEmptyFilter } from '../../../domain/metering/idempotency-filter';
import { meteringKeys } from '../../../domain/metering/keys';
import { debit, loadBalance, readCachedBalance, refund, type CachedBalance, type DebitRequest } from '../../../domain/metering/scripts';
import { readAllDebits } from '../../../domain/metering/stream-entries';
import { createRedis, type RedisClient } from '../../../domain/infra/redis';

let redis: RedisClient;
beforeAll(() => {
  redis = createRedis(loadConfig());
});
const created: string[] = [];
afterAll(async () => {
  // These customers exist only in Redis; leave no stream for a reconciler to trip on.
  for (const id of created) await redis.del(meteringKeys(id).balance, meteringKeys(id).debits, meteringKeys(id).idempotencyFilter, meteringKeys(id).idempotencyFilterCount);
  redis.disconnect();
});

const now = Date.now();
const hash = 'a'.repeat(64);

function request(customerId: string, over: Partial<DebitRequest> = {}): DebitRequest {
  return {
    customerId, usageId: randomUUID(), idempotencyKey: randomUUID(), requestHash: hash, appId: randomUUID(), appSlug: 'pd-calculator',
    costTokens: 1, nowMs: now, idempotencyTtlSeconds: 60, ratePerSecond: 1_000, ...over,
  };
}

async function customerWith(balance: Partial<CachedBalance>): Promise<string> {
  const id = randomUUID();
  created.push(id);
  await loadBalance(redis, id, { status: 'active', unlimited: false, grants: [], ...balance }, '0-0');
  // As a brand with no recorded key: the script consults the filter and debits.
  await createEmptyFilter(redis, id);
  return id;
}

const grantOf = (remainingTokens: number, over: Partial<{ id: string; effectiveAtMs: number; expiresAtMs: number | null }> = {}) => ({
  id: randomUUID(), remainingTokens, effectiveAtMs: now - 1_000, expiresAtMs: null, ...over,
});

describe('debit script', () => {
  it('debits the exact balance down to zero', async () => {
    const grant = grantOf(5);
    const id = await customerWith({ grants: [grant] });
    expect(await debit(redis, request(id, { costTokens: 5 }))).toEqual({ kind: 'debited', remainingTokens: 0, allocation: `${grant.id}:5` });
  });

  it('answers a refusal with the plan flag the rebuild loaded, so the 402 hint needs no query', async () => {
    const withPlan = await customerWith({ grants: [grantOf(1)], hasPlan: true });
    const withoutPlan = await customerWith({ grants: [grantOf(1)], hasPlan: false });
    expect(await debit(redis, request(withPlan, { costTokens: 5 }))).toEqual({ kind: 'insufficient', availableTokens: 1, hasPlan: true });
    expect(await debit(redis, request(withoutPlan, { costTokens: 5 }))).toEqual({ kind: 'insufficient', availableTokens: 1, hasPlan: false });
  });

  it('refuses a debit one token short and changes nothing', async () => {
    const id = await customerWith({ grants: [grantOf(4)] });
    expect(await debit(redis, request(id, { costTokens: 5 }))).toEqual({ kind: 'insufficient', availableTokens: 4, hasPlan: null });
    expect((await readCachedBalance(redis, id, now))?.availableTokens).toBe(4);
    expect(await redis.xlen(meteringKeys(id).debits)).toBe(0);
  });

  it('burns the allowance first, then packs oldest first, recording the split', async () => {
    const allowance = grantOf(2);
    const older = grantOf(2);
    const newer = grantOf(10);
    const id = await customerWith({ grants: [allowance, older, newer] });
    await debit(redis, request(id, { costTokens: 5 }));
    const [entry] = await readAllDebits(redis, id, 100);
    expect(entry!.allocation).toEqual([
      { grantId: allowance.id, tokens: 2 },
      { grantId: older.id, tokens: 2 },
      { grantId: newer.id, tokens: 1 },
    ]);
    expect((await readCachedBalance(redis, id, now))?.availableTokens).toBe(9);
  });

  it('ignores a grant past its expiry (end exclusive) and one not yet effective', async () => {
    const id = await customerWith({ grants: [grantOf(100, { expiresAtMs: now }), grantOf(100, { effectiveAtMs: now + 1 }), grantOf(1)] });
    expect(await debit(redis, request(id, { costTokens: 2 }))).toEqual({ kind: 'insufficient', availableTokens: 1, hasPlan: null });
  });

  it('replays the stored result for the same key and body, and refuses another body', async () => {
    const id = await customerWith({ grants: [grantOf(10)] });
    const first = request(id, { costTokens: 3 });
    await debit(redis, first);
    expect(await debit(redis, { ...first, usageId: randomUUID() })).toEqual({
      kind: 'replayed',
      result: { requestHash: hash, usageId: first.usageId, tokens: 3, remainingTokens: 7 },
    });
    expect(await debit(redis, { ...first, requestHash: 'b'.repeat(64) })).toEqual({ kind: 'key_reused' });
    expect((await readCachedBalance(redis, id, now))?.availableTokens).toBe(7);
  });

  it('answers balance_unknown when no balance is cached, writing nothing', async () => {
    const id = randomUUID();
    created.push(id);
    expect(await debit(redis, request(id))).toEqual({ kind: 'balance_unknown' });
    expect(await redis.exists(meteringKeys(id).debits)).toBe(0);
  });

  it('refuses a suspended customer', async () => {
    const id = await customerWith({ status: 'suspended', grants: [grantOf(10)] });
    expect(await debit(redis, request(id))).toEqual({ kind: 'suspended' });
  });

  it('records an unlimited customer’s use without touching grants', async () => {
    const id = await customerWith({ unlimited: true });
    expect(await debit(redis, request(id, { costTokens: 10 }))).toEqual({ kind: 'debited', remainingTokens: null, allocation: '' });
    const [entry] = await readAllDebits(redis, id, 100);
    expect(entry).toMatchObject({ costTokens: 10, allocation: [], remainingTokens: null });
  });

  it('rate-limits past the per-second ceiling', async () => {
    const id = await customerWith({ grants: [grantOf(10)] });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await debit(redis, request(id, { ratePerSecond: 3 }))).kind);
    expect(outcomes).toEqual(['debited', 'debited', 'debited', 'rate_limited']);
  });

  it('gives a refund back to the grants that paid, once', async () => {
    const a = grantOf(2);
    const p = grantOf(10);
    const id = await customerWith({ grants: [a, p] });
    const d = request(id, { costTokens: 5 });
    const paid = await debit(redis, d);
    expect(paid).toMatchObject({ kind: 'debited', allocation: `${a.id}:2;${p.id}:3` });
    const back = { customerId: id, usageId: d.usageId, allocation: `${a.id}:2;${p.id}:3`, costTokens: 5, appId: d.appId, appSlug: d.appSlug, nowMs: now, reason: 'UPSTREAM_FAILED' };
    expect(await refund(redis, back)).toBe(true);
    expect(await refund(redis, back)).toBe(false);
    expect((await readCachedBalance(redis, id, now))?.availableTokens).toBe(12);
    const entries = await readAllDebits(redis, id, 100);
    expect(entries.map((e) => e.kind)).toEqual(['debit', 'refund']);
    expect(entries[1]!.allocation).toEqual([{ grantId: a.id, tokens: 2 }, { grantId: p.id, tokens: 3 }]);
  });

  it('refuses to load a balance while newer debits wait in the stream', async () => {
    const id = await customerWith({ grants: [grantOf(10)] });
    await debit(redis, request(id));
    await redis.del(meteringKeys(id).balance);
    expect(await loadBalance(redis, id, { status: 'active', unlimited: false, grants: [grantOf(10)] }, '0-0')).toBe('refused');
  });
});
