// The widget debit path on a real Redis Cluster (three primaries, one replica each): the debit
// script, replays, the reconciler's discovery and the balance rebuild, with brands on every
// primary, and one primary SIGKILLed mid-storm while its replica takes over.
import path from 'node:path';
import pino from 'pino';
import { Reconciler } from '../../reconciler/debit-reconciler';
import { meteringKeys } from '../../domain/metering/keys';
import { rebuildBalance } from '../../domain/metering/rebuild-balance';
import { invalidateBalance, readCachedBalance } from '../../domain/metering/scripts';
import { ensureInstalled } from '../../scripts/lib/install';
import { loadProfile } from '../../scripts/lib/profiles';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster';
import { startApi, type TestApi } from '../support/api-server';
import { consume, meteredBrand, type MeteredBrand } from '../support/metering';

let cluster: RedisCluster;
let api: TestApi;

beforeAll(async () => {
  cluster = await startRedisCluster({
    redisServer: ensureInstalled().redisServer,
    dataDir: path.join(loadProfile('test').dataDir, `redis-cluster-${process.pid}`),
  });
  api = await startApi({ REDIS_CLUSTER_NODES: cluster.seeds.join(','), CONSUME_RATE_PER_SECOND: '1000000' });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await cluster?.stop();
}, 20_000);

const sql = <T = any>(q: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute<T[]>(q, params);
const quiet = pino({ level: 'silent' });

interface Brand extends MeteredBrand {
  primary: number;
}

/** Brands until every primary serves `perPrimary` of them: a customer's slot is a hash of its id. */
async function brandsOnEveryPrimary(perPrimary: number): Promise<Brand[]> {
  const primaries = (await cluster.shards()).map((s) => s.primary);
  const brands: Brand[] = [];
  for (let tries = 0; tries < 40 && primaries.some((p) => brands.filter((b) => b.primary === p).length < perPrimary); tries += 1) {
    const b = await meteredBrand(api, { tokens: 100_000, apps: ['pd-calculator'] });
    const primary = await cluster.primaryOf(meteringKeys(b.customerId).balance);
    if (brands.filter((x) => x.primary === primary).length < perPrimary) brands.push({ ...b, primary });
  }
  return brands;
}

interface Ack {
  usageId: string;
  ackedAt: number;
}

const refusals = new Map<number, number>();

/** One use, retried with the same key through errors (a failing-over shard answers 5xx) until it is acknowledged. */
async function useUntilAcked(b: Brand, key: string): Promise<Ack | null> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const res = await consume(api, b.apiKey, { app: 'pd-calculator' }, key).catch(() => null);
    if (res?.status === 200) return { usageId: res.body.usageId, ackedAt: Date.now() };
    refusals.set(res?.status ?? 0, (refusals.get(res?.status ?? 0) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function recordedUsage(customerId: string): Promise<Map<string, string>> {
  const rows = await sql<{ idempotency_key: string; id: string }>('select idempotency_key, id from token_usage where customer_id = ?', [customerId]);
  return new Map(rows.map((r) => [r.idempotency_key, r.id]));
}

function reconcileInBackground(reconciler: Reconciler) {
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      await reconciler.tick().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return () => ((stopping = true), running);
}

describe('metering on a Redis Cluster', () => {
  it('records every debit a failed-over primary still had exactly once, loses only unreplicated ones of that shard, and rebuilds balances equal to the ledger', async () => {
    const brands = await brandsOnEveryPrimary(2);
    expect(new Set(brands.map((b) => b.primary)).size).toBe(3);
    expect(brands).toHaveLength(6);
    const victim = brands[0]!.primary;
    const victimShard = (await cluster.shards()).find((s) => s.primary === victim)!;
    expect(victimShard.replicas).toHaveLength(1);

    const settings = api.deps.config.metering;
    const storm = new Reconciler(api.deps.orm, api.deps.redis, settings, quiet);
    const stopReconciling = reconcileInBackground(storm);

    const perBrand = 150;
    const acks = new Map<string, Map<string, Ack | null>>(brands.map((b) => [b.customerId, new Map()]));
    let acked = 0;
    let killedAt = 0;
    let unreplicatedAtKill = 0;
    let promotedAt = 0;
    const failover = (async () => {
      while (acked < (brands.length * perBrand) / 2) await new Promise((r) => setTimeout(r, 10));
      unreplicatedAtKill = await cluster.unreplicatedBytes(victim);
      killedAt = Date.now();
      await cluster.kill(victim);
      await cluster.takeover(victimShard.replicas[0]!);
      promotedAt = Date.now();
    })();
    await Promise.all(
      brands.flatMap((b) =>
        Array.from({ length: 6 }, async (_, lane) => {
          for (let i = lane; i < perBrand; i += 6) {
            const key = `storm-${i}`;
            const ack = await useUntilAcked(b, key);
            acks.get(b.customerId)!.set(key, ack);
            if (ack) acked += 1;
          }
        }),
      ),
    );
    await failover;
    await stopReconciling();

    // A fresh reconciler sweeps every primary first, so it finds streams whose activity mark was lost with the old primary.
    const drainer = new Reconciler(api.deps.orm, api.deps.redis, settings, quiet);
    for (let pass = 0; pass < 50; pass += 1) {
      await drainer.tick();
      const left = await Promise.all(brands.map((b) => api.deps.redis.xlen(meteringKeys(b.customerId).debits)));
      if (left.every((n) => n === 0)) break;
    }
    for (const b of brands) expect(await api.deps.redis.xlen(meteringKeys(b.customerId).debits)).toBe(0);

    // The failed shard's brands kept being served by the promoted replica.
    const victimAcks = brands.filter((b) => b.primary === victim).flatMap((b) => [...acks.get(b.customerId)!.values()]);
    const servedAfter = victimAcks.filter((a) => a && a.ackedAt > promotedAt).length;
    expect(servedAfter).toBeGreaterThan(0);

    const lostWindowMs: number[] = [];
    for (const b of brands) {
      const mine = acks.get(b.customerId)!;
      // Every use was acknowledged in the end: a failover costs retries, not refusals.
      expect([...mine.values()].every((a) => a !== null)).toBe(true);
      const recorded = await recordedUsage(b.customerId);
      const [ledger] = await sql<{ tokens: number }>(
        `select coalesce(-sum(amount_tokens), 0)::int as tokens from ledger_entries where customer_id = ? and kind = 'usage'`,
        [b.customerId],
      );
      // Exactly once: one recorded use per key, each a key of this storm, and the ledger spent
      // exactly one token (the app's cost) per recorded use, however it groups its entries.
      expect(ledger!.tokens).toBe(recorded.size);
      expect([...recorded.keys()].every((k) => mine.has(k))).toBe(true);
      const lost = [...mine].filter(([k, a]) => recorded.get(k) !== a!.usageId);
      if (b.primary !== victim) {
        expect(lost).toEqual([]);
      } else {
        // Only what the dead primary acknowledged before its replica took over can be missing.
        for (const [, a] of lost) {
          expect(a!.ackedAt).toBeLessThanOrEqual(promotedAt);
          lostWindowMs.push(killedAt - a!.ackedAt);
        }
      }
    }

    const drift: number[] = [];
    for (const b of brands) {
      const [ledger] = await sql<{ tokens: number }>('select sum(amount_tokens)::int as tokens from ledger_entries where customer_id = ?', [b.customerId]);
      const [byRows] = await sql<{ tokens: number }>(
        `select ((select sum(amount_tokens) from token_grants where customer_id = ?) - (select coalesce(sum(tokens), 0) from token_usage where customer_id = ?))::int as tokens`,
        [b.customerId, b.customerId],
      );
      expect(ledger!.tokens).toBe(byRows!.tokens);
      const cached = await readCachedBalance(api.deps.redis, b.customerId, Date.now());
      drift.push((cached?.availableTokens ?? ledger!.tokens) - ledger!.tokens);
      await invalidateBalance(api.deps.redis, b.customerId);
      expect(await rebuildBalance(api.deps.orm, api.deps.redis, b.customerId)).toBe('loaded');
      expect((await readCachedBalance(api.deps.redis, b.customerId, Date.now()))?.availableTokens).toBe(ledger!.tokens);
    }
    console.log(
      `Redis Cluster failover: ${acked} debits acknowledged (retried answers by status: ${JSON.stringify(Object.fromEntries(refusals))}), ` +
        `${storm.stats.debitsRecorded} recorded during the storm, ${drainer.stats.debitsRecorded} after it, ${lostWindowMs.length} lost on the failed shard (${unreplicatedAtKill} bytes unacknowledged by its replica just before the kill)` +
        (lostWindowMs.length ? ` (acknowledged ${Math.min(...lostWindowMs)}..${Math.max(...lostWindowMs)} ms before the kill)` : '') +
        `; takeover took ${promotedAt - killedAt} ms, after which the failed shard's brands had ${servedAfter} debits acknowledged; cached balance minus ledger before rebuild, per brand: ${drift.join(', ')}`,
    );
  }, 90_000);

  it('replays acknowledged keys with their first answer on every primary, debiting nothing twice', async () => {
    const brands = await brandsOnEveryPrimary(1);
    expect(new Set(brands.map((b) => b.primary)).size).toBe(3);
    for (const b of brands) {
      const first = await Promise.all(Array.from({ length: 20 }, (_, i) => consume(api, b.apiKey, { app: 'pd-calculator' }, `replay-${i}`)));
      const again = await Promise.all(Array.from({ length: 20 }, (_, i) => consume(api, b.apiKey, { app: 'pd-calculator' }, `replay-${i}`)));
      expect(first.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(again.map((r) => [r.status, r.body.usageId, r.body.replayed])).toEqual(first.map((r) => [200, r.body.usageId, true]));
      const cached = await readCachedBalance(api.deps.redis, b.customerId, Date.now());
      expect(cached?.availableTokens).toBe(100_000 - 20);
    }
  }, 60_000);
});
