// Reference for docs/PERFORMANCE.md (fifth pass), not a phase of bench:consume: the same debit as
// koa-lua-server.ts behind a bare node:http handler (no koa), to tell koa's own cost per request
// apart from the debit's. Run it as a bench/ab.ts variant: AB_VARIANTS=RAW=bench/targets/raw-lua-server.ts,…
// It loads balances and empty filters for brands of its own, in whatever Redis database it is given.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRedis } from '../../domain/infra/redis';
import { debit } from '../../domain/metering/scripts';
import { floorDebit, loadFloorBrands, stopOnSignal } from './lua-floor';

const port = Number(process.env.BENCH_PORT);
const customerIds = Array.from({ length: 8 }, () => randomUUID());
const redis = createRedis({ redis: { url: process.env.REDIS_URL ?? '', clusterNodes: [] } });

let turn = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const request = floorDebit(customerIds[turn++ % customerIds.length]!, String(req.headers['idempotency-key']));
    debit(redis, request).then(
      (outcome) => {
        const body = JSON.stringify(outcome.kind === 'debited' ? { remainingTokens: outcome.remainingTokens } : { error: outcome.kind });
        res.writeHead(outcome.kind === 'debited' ? 200 : 409, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
});

async function main(): Promise<void> {
  await loadFloorBrands(redis, customerIds, 50_000_000);
  stopOnSignal(server.listen(port, '127.0.0.1'), redis);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
