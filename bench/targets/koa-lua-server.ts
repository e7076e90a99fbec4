// Baseline (c): the floor under /v1/consume. A bare Koa endpoint that only runs the same
// Redis debit script (domain/metering/scripts.ts) against a loaded balance: no auth, no
// validation, no body parsing, no PostgreSQL. Uses its own Redis database (REDIS_URL ends
// in /1), so the reconciler never sees these streams.
import Koa from 'koa';
import { createRedis } from '../../domain/infra/redis';
import { debit } from '../../domain/metering/scripts';
import { floorDebit, loadFloorBrands, stopOnSignal } from './lua-floor';

const port = Number(process.env.BENCH_PORT);
const customerIds = (process.env.BENCH_CUSTOMER_IDS ?? '').split(',').filter(Boolean);
const tokens = Number(process.env.BENCH_TOKENS ?? 50_000_000);
// Same client settings as the API (auto-pipelining included).
const redis = createRedis({ redis: { url: process.env.REDIS_URL ?? '', clusterNodes: [] } });

let turn = 0;
const app = new Koa();
app.use(async function luaDebit(ctx) {
  const customerId = customerIds[turn++ % customerIds.length]!;
  const outcome = await debit(redis, floorDebit(customerId, ctx.get('idempotency-key')));
  if (outcome.kind !== 'debited') {
    ctx.status = 409;
    ctx.body = { error: outcome.kind };
    return;
  }
  ctx.body = { remainingTokens: outcome.remainingTokens };
});

async function main(): Promise<void> {
  if (customerIds.length === 0) throw new Error('BENCH_CUSTOMER_IDS is empty');
  await loadFloorBrands(redis, customerIds, tokens);
  stopOnSignal(app.listen(port, '127.0.0.1'), redis);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
