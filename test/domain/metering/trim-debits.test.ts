// Reading and trimming a debit stream on the real test Redis, with no consumer group: the
// reader takes the head of the stream, the trim deletes exactly the ids it is given.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../domain/infra/config';
import { createRedis, type RedisClient } from '../../../domain/infra/redis';
import { legacyReconcileGroup, meteringKeys } from '../../../domain/metering/keys';
import { loadBalance, trimDebits } from '../../../domain/metering/scripts';
import { packDebit, readAllDebits, readDebits } from '../../../domain/metering/stream-entries';

let redis: RedisClient;
const created: string[] = [];
beforeAll(() => {
  redis = createRedis(loadConfig());
});
afterAll(async () => {
  for (const id of created) await redis.del(meteringKeys(id).debits, meteringKeys(id).balance);
  redis.disconnect();
});

const entry = (i: number) => ['d', packDebit({ usageId: randomUUID(), idempotencyKey: `k-${i}`, requestHash: 'c'.repeat(64), appId: randomUUID(), appSlug: 'pd-calculator', costTokens: 1, nowMs: 1_700_000_000_000 + i }), 'al', '', 'r', '-1'];

async function streamOf(n: number, ids?: string[]): Promise<{ customerId: string; key: string; ids: string[] }> {
  const customerId = randomUUID();
  created.push(customerId);
  const key = meteringKeys(customerId).debits;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await redis.xadd(key, ids?.[i] ?? '*', ...entry(i)))!);
  return { customerId, key, ids: out };
}

const left = async (key: string) => ((await redis.xrange(key, '-', '+')) as [string, string[]][]).map(([id]) => id);

describe('the head of a debit stream', () => {
  it('is read oldest first, up to the batch size, and read again until trimmed', async () => {
    const { customerId, ids } = await streamOf(30);
    const first = await readDebits(redis, customerId, 20);
    expect(first.map((e) => e.streamId)).toEqual(ids.slice(0, 20));
    expect(first.map((e) => e.idempotencyKey)).toEqual(Array.from({ length: 20 }, (_, i) => `k-${i}`));
    // A pass that died before its trim: the next one reads the same entries.
    expect((await readDebits(redis, customerId, 20)).map((e) => e.streamId)).toEqual(ids.slice(0, 20));
    await trimDebits(redis, customerId, ids.slice(0, 20));
    expect((await readDebits(redis, customerId, 20)).map((e) => e.streamId)).toEqual(ids.slice(20));
  });

  it('reads a stream in chunks, ids sharing a millisecond included, and an absent stream as empty', async () => {
    const stamped = ['1700000000000-0', '1700000000000-1', '1700000000000-2', '1700000000001-0', '1700000000001-1'];
    const { customerId, ids } = await streamOf(5, stamped);
    expect((await readAllDebits(redis, customerId, 2)).map((e) => e.streamId)).toEqual(ids);
    expect(await readAllDebits(redis, randomUUID(), 2)).toEqual([]);
    expect(await readDebits(redis, randomUUID(), 2)).toEqual([]);
  });
});

describe('trimming reconciled debits', () => {
  it('deletes exactly the ids given, in any order and in chunks, and keeps older and newer entries', async () => {
    const { customerId, key, ids } = await streamOf(1_500);
    const batch = ids.slice(10, 1_400);
    await trimDebits(redis, customerId, [...batch].reverse());
    expect(await left(key)).toEqual([...ids.slice(0, 10), ...ids.slice(1_400)]);
  });

  it('is a no-op for ids already gone (two passes trimming the same batch)', async () => {
    const { customerId, key, ids } = await streamOf(5);
    await trimDebits(redis, customerId, ids.slice(0, 3));
    await trimDebits(redis, customerId, ids.slice(0, 3));
    expect(await left(key)).toEqual(ids.slice(3));
  });

  it('leaves a stream a release before gave a consumer group readable, and the balance load drops the group', async () => {
    const { customerId, key, ids } = await streamOf(3);
    await redis.xgroup('CREATE', key, legacyReconcileGroup, '0');
    await redis.xreadgroup('GROUP', legacyReconcileGroup, 'old-reconciler', 'COUNT', 2, 'STREAMS', key, '>');
    // Entries pending with the old group are still the head of the stream.
    expect((await readDebits(redis, customerId, 10)).map((e) => e.streamId)).toEqual(ids);
    expect(await loadBalance(redis, customerId, { status: 'active', unlimited: true, grants: [] }, ids[2]!)).toBe('loaded');
    expect(await redis.xinfo('GROUPS', key)).toEqual([]);
  });
});
