// `npm run bench:reconcile`: what reconciliation costs per debit at a given batch size, without
// HTTP or a load generator. Debits go into the streams through the real debit script, then the
// real Reconciler drains them, one tick per round; CPU is counted for the ticks only (this
// process) and for the bench stack's PostgreSQL, plus the WAL written. On a shared machine this is
// steadier than the closed-loop phases of bench:consume, and it separates the per-batch cost
// (round trips, statements, the commit) from the per-debit cost. docs/PERFORMANCE.md, issue 15.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Reconciler } from '../reconciler/debit-reconciler';
import { createOrm } from '../domain/infra/db';
import { rebuildBalance } from '../domain/metering/rebuild-balance';
import { debit, markActive } from '../domain/metering/scripts';
import { newUsageId } from '../domain/metering/usage-id';
import { createRedis, type RedisClient } from '../domain/infra/redis';
import { createBrands } from './lib/brands';
import { startCpuWatch, watchStack } from './lib/cpu-usage';
import { dropCustomerKeys, redisDbs, redisDbUrl } from './lib/scratch';
import { startBenchStack } from './lib/stack';

const sizes = (process.env.BENCH_BATCHES ?? '25,100,400,1500').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const brandCount = 8;

async function main(): Promise<void> {
  const stack = await startBenchStack();
  watchStack(stack.pids);
  const redisUrl = redisDbUrl(stack.env.REDIS_URL!, redisDbs.reconcile);
  const config = { ...stack.config, redis: { ...stack.config.redis, url: redisUrl } };
  const orm = await createOrm(config);
  const redis = createRedis(config);
  const conn = orm.em.getConnection();
  const brands = await createBrands(orm, redis, { runId: randomUUID().slice(0, 8), count: brandCount, tokens: 50_000_000, app: 'pd-calculator' });
  try {
    const [app] = await conn.execute<{ id: string }[]>("select id from apps where slug = 'pd-calculator'");
    const keyOf = new Map<string, string>();
    for (const b of brands) {
      const [k] = await conn.execute<{ id: string }[]>('select id from api_keys where customer_id = ?', [b.customerId]);
      keyOf.set(b.customerId, k!.id);
      await rebuildBalance(orm, redis, b.customerId);
    }
    const lsn = async () => (await conn.execute<{ l: string }[]>('select pg_current_wal_lsn()::text as l'))[0]!.l;
    // The batch size is above any round's debits per customer: one batch per customer per round.
    const reconciler = new Reconciler(orm, redis, { ...config.metering, batchSize: 10_000 }, pino({ level: 'warn' }));
    console.log(`bench:reconcile: ${brandCount} brands, ${rounds} rounds per batch size (2 more to warm up)`);
    for (const perBrand of sizes) {
      let debits = 0;
      let tickUs = 0;
      let redisUs = 0;
      let walFrom = '';
      let pg: ReturnType<typeof startCpuWatch> | null = null;
      for (let round = 0; round < rounds + 2; round++) {
        const nowMs = Date.now();
        await Promise.all(
          brands.flatMap((b) =>
            Array.from({ length: perBrand }, () =>
              debit(redis, {
                customerId: b.customerId, usageId: newUsageId(), idempotencyKey: randomUUID(), requestHash: 'b'.repeat(64), appId: app!.id,
                appSlug: 'pd-calculator', costTokens: 1, nowMs, idempotencyTtlSeconds: 600, ratePerSecond: 1e9, apiKeyId: keyOf.get(b.customerId)!,
                // Fresh keys: no filter's false positive may keep one out of the batch measured.
                archiveChecked: true,
              }),
            ),
          ),
        );
        for (const b of brands) await markActive(redis, b.customerId, Date.now());
        if (round === 2) {
          pg = startCpuWatch([], 'debit');
          walFrom = await lsn();
        }
        const before = reconciler.stats.debitsRecorded;
        const redisBefore = await redisCpuUs(redis);
        const cpu = process.cpuUsage();
        await reconciler.tick();
        const used = process.cpuUsage(cpu);
        const redisUsed = (await redisCpuUs(redis)) - redisBefore;
        if (round >= 2) {
          debits += reconciler.stats.debitsRecorded - before;
          tickUs += used.user + used.system;
          redisUs += redisUsed;
        }
      }
      const [wal] = await conn.execute<{ b: string }[]>('select pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn) as b', [walFrom]);
      const pgUs = pg!(debits).perUnitUs.get('postgres') ?? NaN;
      console.log(
        `batch ${String(perBrand).padStart(5)}: ${debits} debits; µs per debit: reconciler ${(tickUs / debits).toFixed(1)}, postgres ${pgUs.toFixed(1)}, redis-server ${(redisUs / debits).toFixed(1)}; WAL ${(Number(wal!.b) / debits).toFixed(0)} bytes per debit`,
      );
    }
  } finally {
    await dropCustomerKeys(redisUrl, brands.map((b) => b.customerId));
    redis.disconnect();
    await orm.close();
    await stack.stop();
  }
}

/** Redis' own CPU count (INFO cpu), in µs: the ticks' share is its delta around them, nothing else uses this Redis meanwhile. */
async function redisCpuUs(redis: RedisClient): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
