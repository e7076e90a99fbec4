// The debit stream's two formats: the packed entry the debit script writes now, and the one
// field per value of the release before (still in streams while a deploy rolls, and in refunds).
// The reader must give the reconciler the same use from either.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../domain/infra/config';
import { createRedis, type RedisClient } from '../../../domain/infra/redis';
import { createEmptyFilter } from '../../../domain/metering/idempotency-filter';
import { meteringKeys } from '../../../domain/metering/keys';
import { debit, loadBalance, refund } from '../../../domain/metering/scripts';
import { packDebit, parseEntry, readAllDebits, type DebitToPack } from '../../../domain/metering/stream-entries';

const now = Date.now();

function use(over: Partial<DebitToPack> = {}): DebitToPack {
  return {
    usageId: randomUUID(), idempotencyKey: `order-${randomUUID()}`, requestHash: 'b'.repeat(64), appId: randomUUID(), appSlug: 'virtual-try-on',
    costTokens: 5, nowMs: now, sessionId: 'visitor-1', metadata: { sku: 'RB-3025', quote: 'a "quoted" | ; : value', nested: { n: 1 } }, apiKeyId: randomUUID(), ...over,
  };
}

/** Exactly what the debit script of the release before wrote to the stream. */
const legacyFields = (u: DebitToPack, allocation: string, remaining: string): string[] => [
  'kind', 'debit', 'u', u.usageId, 'k', u.idempotencyKey, 'h', u.requestHash, 'a', u.appId, 'app', u.appSlug,
  'c', String(u.costTokens), 'al', allocation, 'r', remaining, 't', String(u.nowMs), 's', u.sessionId ?? '',
  'm', u.metadata ? JSON.stringify(u.metadata) : '', 'ky', u.apiKeyId ?? '',
];
const packedFields = (u: DebitToPack, allocation: string, remaining: string): string[] => ['d', packDebit(u), 'al', allocation, 'r', remaining];

describe('stream entries, parsed', () => {
  it.each([
    ['every field set', use(), 'g1:3;g2:2', '95'],
    ['no session, metadata or key', use({ sessionId: undefined, metadata: undefined, apiKeyId: undefined }), 'g1:5', '0'],
    ['an unlimited plan', use(), '', '-1'],
    ['a key of any characters', use({ idempotencyKey: 'ключ|;:"\\\u0001 ✓' }), 'g1:5', '7'],
  ])('reads a packed entry as the same use as the one-field-per-value entry: %s', (_name, u, allocation, remaining) => {
    const packed = parseEntry(['1-0', packedFields(u, allocation, remaining)]);
    const legacy = parseEntry(['1-0', legacyFields(u, allocation, remaining)]);
    expect(packed).toEqual(legacy);
    expect(packed).toMatchObject({ kind: 'debit', usageId: u.usageId, idempotencyKey: u.idempotencyKey, costTokens: u.costTokens, debitedAtMs: now });
  });
});

describe('the debit stream on the real test Redis', () => {
  let redis: RedisClient;
  const created: string[] = [];
  beforeAll(() => {
    redis = createRedis(loadConfig());
  });
  afterAll(async () => {
    for (const id of created) {
      const k = meteringKeys(id);
      await redis.del(k.balance, k.debits, k.idempotencyFilter, k.idempotencyFilterCount);
    }
    redis.disconnect();
  });

  it('reads, in order, an entry of the release before, a debit of this one and a refund, as the uses they were', async () => {
    const customerId = randomUUID();
    created.push(customerId);
    const grantId = randomUUID();
    await loadBalance(redis, customerId, { status: 'active', unlimited: false, grants: [{ id: grantId, remainingTokens: 100, effectiveAtMs: now - 1_000, expiresAtMs: null }] }, '0-0');
    await createEmptyFilter(redis, customerId);
    const k = meteringKeys(customerId);
    const before = use();
    await redis.xadd(k.debits, '*', ...legacyFields(before, `${grantId}:5`, '95'));

    const now2 = use({ costTokens: 4 });
    const outcome = await debit(redis, { customerId, ...now2, idempotencyTtlSeconds: 60, ratePerSecond: 1_000 });
    expect(outcome).toEqual({ kind: 'debited', remainingTokens: 96, allocation: `${grantId}:4` });
    expect(await refund(redis, { customerId, usageId: now2.usageId, allocation: `${grantId}:4`, costTokens: 4, appId: now2.appId, appSlug: now2.appSlug, nowMs: now, reason: 'run failed' })).toBe(true);

    const [old, fresh, back, ...rest] = await readAllDebits(redis, customerId, 100);
    expect(rest).toEqual([]);
    expect(old).toMatchObject({ kind: 'debit', usageId: before.usageId, idempotencyKey: before.idempotencyKey, metadata: before.metadata, allocation: [{ grantId, tokens: 5 }], remainingTokens: 95 });
    expect(fresh).toEqual({
      streamId: fresh!.streamId, kind: 'debit', usageId: now2.usageId, idempotencyKey: now2.idempotencyKey, requestHash: now2.requestHash,
      appId: now2.appId, appSlug: now2.appSlug, costTokens: 4, allocation: [{ grantId, tokens: 4 }], remainingTokens: 96,
      debitedAtMs: now, sessionId: now2.sessionId, metadata: now2.metadata, apiKeyId: now2.apiKeyId,
    });
    expect(back).toMatchObject({ kind: 'refund', usageId: now2.usageId, allocation: [{ grantId, tokens: 4 }] });
    // Three fields, not fourteen: the point of the format.
    const [written] = (await redis.xrange(k.debits, fresh!.streamId, fresh!.streamId)) as [string, string[]][];
    expect(written![1].filter((_, i) => i % 2 === 0)).toEqual(['d', 'al', 'r']);
  });
});
