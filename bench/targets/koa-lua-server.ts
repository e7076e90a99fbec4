// Baseline (c): the floor under /v1/consume. A bare Koa endpoint that only runs the same
// Redis debit script (domain/metering/scripts.ts) against a loaded balance: no auth, no
// validation, no body parsing, no PostgreSQL. Uses its own Redis database (REDIS_URL ends
// in /1), so the reconciler never sees these streams.
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import { createRedis } from '../../domain/infra/redis';
import { createEmptyFilter } from '../../domain/metering/idempotency-filter';
import { debit, loadBalance } from '../../domain/metering/scripts';

const port = Number(process.env.BENCH_PORT);
const customerIds = (process.env.BENCH_CUSTOMER_IDS ?? '').split(',').filter(Boolean);
const tokens = Number(process.env.BENCH_TOKENS ?? 50_000_000);
// Same client settings as the API (auto-pipelining included).
const redis = createRedis({ redis: { url: process.env.REDIS_URL ?? '', clusterNodes: [] } });
// A sha256 hex is 64 characters; the script compares the first 64 of a stored result.
const requestHash = 'b'.repeat(64);

let turn = 0;
const app = new Koa();
app.use(async function luaDebit(ctx) {
  const customerId = customerIds[turn++ % customerIds.length]!;
  const outcome = await debit(redis, {
    customerId,
    usageId: randomUUID(),
    idempotencyKey: ctx.get('idempotency-key'),
    requestHash,
    appId: 'bench-app',
    appSlug: 'pd-calculator',
    costTokens: 1,
    nowMs: Date.now(),
    // Short: the bench deletes its keys anyway, this only bounds a crashed run's leftovers.
    idempotencyTtlSeconds: 600,
    ratePerSecond: 1_000_000_000,
  });
  if (outcome.kind !== 'debited') {
    ctx.status = 409;
    ctx.body = { error: outcome.kind };
    return;
  }
  ctx.body = { remainingTokens: outcome.remainingTokens };
});

async function main(): Promise<void> {
  if (customerIds.length === 0) throw new Error('BENCH_CUSTOMER_IDS is empty');
  for (const id of customerIds) {
    const loaded = await loadBalance(redis, id, { status: 'active', unlimited: false, grants: [{ id: 'bench', remainingTokens: tokens, effectiveAtMs: 0, expiresAtMs: null }] }, '0-0');
    if (loaded !== 'loaded') throw new Error(`balance of ${id} was not loaded: ${loaded}`);
    // An empty idempotency filter, as a reconciled brand has: the script checks it and debits.
    await createEmptyFilter(redis, id);
  }
  const server = app.listen(port, '127.0.0.1');
  const stop = () => {
    server.close(() => (redis.disconnect(), process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
