// `node --import tsx bench/ab.ts`: two or more API builds and the bare Koa + Lua floor, alternated
// on one bench stack with the same brands, a few seconds each, for several rounds (the order
// reversed every other round). On a machine shared with other work, req/s of phases run minutes
// apart move by 2× (docs/PERFORMANCE.md); alternating short phases puts every variant under
// nearly the same load, so a change of a few µs per request shows.
//   AB_VARIANTS   name=entry,… (default A=/tmp/perf-base/api/server.ts,B=api/server.ts): an entry
//                 outside this checkout is another worktree's api/server.ts (with node_modules);
//                 words after the entry are node flags for that variant (B=api/server.ts --max-semi-space-size=32)
//   AB_SECONDS    measured seconds per phase (6), after 1 s of warm-up
//   AB_ROUNDS     rounds (3)
//   AB_PROF       a folder: the API variants run with --cpu-prof and write there
//   BENCH_CLIENT  raw (default) or node-http: the load generator, as in bench:consume (bench/lib/load.ts)
import { randomUUID } from 'node:crypto';
import { createOrm } from '../domain/infra/db';
import { createRedis } from '../domain/infra/redis';
import { createBrands } from './lib/brands';
import { freePort, killAllChildren, startChild, stopChild, waitForPort, type Child } from './lib/children';
import { startCpuWatch, watchStack } from './lib/cpu-usage';
import { closedLoop, percentile } from './lib/load';
import { dropCustomerKeys, redisDbs, redisDbUrl } from './lib/scratch';
import { startBenchStack } from './lib/stack';
import { consumeTarget } from './lib/targets';

const say = (line: string) => process.stdout.write(`${line}\n`);
const connections = 64;
const app = 'pd-calculator';

async function start(name: string, entry: string, env: Record<string, string>, nodeArgs: string[]): Promise<{ name: string; child: Child; port: number }> {
  const port = await freePort();
  const child = startChild(name, entry, { ...env, BENCH_PORT: String(port), API_PORT: String(port) }, nodeArgs);
  await waitForPort(child, port);
  return { name, child, port };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.AB_SECONDS ?? 6);
  const rounds = Number(process.env.AB_ROUNDS ?? 3);
  const variants = (process.env.AB_VARIANTS ?? 'A=/tmp/perf-base/api/server.ts,B=api/server.ts').split(',').map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] as const);
  const prof = process.env.AB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AB_PROF}`] : [];
  const stack = await startBenchStack();
  // Redis' share shows in each line too: a change may move work between the API and Redis.
  watchStack(stack.pids);
  const appRedisUrl = redisDbUrl(stack.env.REDIS_URL!, redisDbs.consume);
  const env: Record<string, string> = { ...stack.env, REDIS_URL: appRedisUrl };
  const config = { ...stack.config, redis: { ...stack.config.redis, url: appRedisUrl } };
  const orm = await createOrm(config);
  const redis = createRedis(config);
  const brands = await createBrands(orm, redis, { runId: randomUUID().slice(0, 8), count: 8, tokens: 50_000_000, app });
  const luaIds = brands.map(() => randomUUID());
  const luaRedisUrl = redisDbUrl(stack.env.REDIS_URL!, redisDbs.koaLua);
  const targets = [await start('koa_lua', 'bench/targets/koa-lua-server.ts', { ...env, REDIS_URL: luaRedisUrl, BENCH_CUSTOMER_IDS: luaIds.join(','), BENCH_TOKENS: '50000000' }, [])];
  for (const [name, spec] of variants) {
    const [entry = '', ...flags] = spec.split(/\s+/);
    targets.push(await start(name, entry, { ...env, LOG_LEVEL: 'warn', CONSUME_RATE_PER_SECOND: '1000000' }, [...flags, ...prof]));
  }
  const results = new Map<string, { rps: number[]; cpu: number[]; p99: number[] }>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
        const target = consumeTarget(t.port, brands, app);
        await closedLoop(target, { connections, seconds: 1 });
        const cpu = startCpuWatch([{ label: t.name, pid: t.child.proc.pid ?? 0 }]);
        const run = await closedLoop(target, { connections, seconds });
        const report = cpu(run.ok);
        const res = results.get(t.name) ?? { rps: [], cpu: [], p99: [] };
        res.rps.push(run.ok / run.seconds);
        res.cpu.push(Math.round(report.perUnitUs.get(t.name) ?? 0));
        res.p99.push(percentile(run.latenciesMs, 99));
        results.set(t.name, res);
        say(`round ${r} ${t.name.padEnd(8)} ${(run.ok / run.seconds).toFixed(0)} req/s, non-2xx ${run.non2xx + run.errors} | ${report.line}`);
      }
    }
    const floor = results.get('koa_lua')!;
    for (const [name, v] of results) {
      say(`${name.padEnd(8)} req/s ${v.rps.map((x) => x.toFixed(0)).join('/')}  cpu µs ${v.cpu.join('/')}  p99 ms ${v.p99.map((x) => x.toFixed(1)).join('/')}  ratio ${v.rps.map((x, i) => (x / floor.rps[i]!).toFixed(2)).join('/')}`);
    }
  } finally {
    for (const t of targets) await stopChild(t.child);
    await dropCustomerKeys(appRedisUrl, brands.map((b) => b.customerId));
    await dropCustomerKeys(luaRedisUrl, luaIds);
    redis.disconnect();
    await orm.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  killAllChildren();
  process.exit(1);
});
