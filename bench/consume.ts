// `npm run bench:consume`: /v1/consume through a real API process against two same-run
// baselines (PostgreSQL-direct and bare Koa + the Lua debit), then reconciliation lag at a
// fixed debit rate, then whether the ledger adds up. docs/PERFORMANCE.md explains the figures.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { createOrm } from '../domain/infra/db';
import { createRedis, type RedisClient } from '../domain/infra/redis';
import { createBrands } from './lib/brands';
import { assertAlive, freePort, killAllChildren, logDir, startChild, stopChild, waitForPort, type Child } from './lib/children';
import { appCostTokens, ledgerExactness, reconcileLagP99, waitForReconciled } from './lib/ledger';
import { clientKind, closedLoop, mergeResults, openLoop, percentile, type LoadResult, type Target } from './lib/load';
import { figures, finalLine, targetLine, verdictLines } from './lib/report';
import { CpuTally, watchStack } from './lib/cpu-usage';
import { measurePipeline, pipelineLine, type PipelineResult } from './lib/pipeline';
import { createPgDirectTables, dropCustomerKeys, dropPgDirectTables, redisDbs, redisDbUrl } from './lib/scratch';
import { loadSettings, type Settings } from './lib/settings';
import { startBenchStack } from './lib/stack';
import { CommandTally, commandStatsLine, resetCommandStats } from './lib/redis-commands';
import { consumeTarget } from './lib/targets';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Undone in reverse order, once, whether the run ends, fails or is interrupted. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  killAllChildren();
  cleaning ??= (async () => {
    for (const undo of cleanups.reverse()) await undo().catch((err: unknown) => console.error('cleanup step failed:', err));
  })();
  return cleaning;
}

interface Contender {
  name: string;
  target: Target;
  children: Child[];
}

type Measured = { run: LoadResult; warmOk: number };

/**
 * Each contender warmed up (not counted in the figures, but its 2xx answers are debits all the
 * same), then `slices` slices of each, alternated (the order reversed every other round), adding
 * up to `s.seconds` apiece. The request path runs against its floor so: on this machine the
 * throughput of phases run minutes apart moved by up to 1.5× with nothing changed; short slices
 * (1 s by default) put both under nearly the same load, as bench/ab.ts does. Each slice of a
 * comparison is printed; the figures are over all of a contender's slices.
 */
async function measureAlternated(contenders: Contender[], s: Settings, redis: RedisClient, slices = s.slices): Promise<Map<string, Measured>> {
  const warmOk = new Map<string, number>();
  for (const c of contenders) warmOk.set(c.name, (await closedLoop(c.target, { connections: s.connections, seconds: s.warmupSeconds })).ok);
  const tallies = new Map(contenders.map((c) => [c.name, {
    runs: [] as LoadResult[],
    cpu: new CpuTally([{ label: 'load generator', pid: process.pid }, ...c.children.map((child) => ({ label: child.name, pid: child.proc.pid ?? 0 }))]),
    commands: new CommandTally(redis),
  }]));
  const slice = s.seconds / slices;
  for (let round = 0; round < slices; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    const parts: string[] = [];
    for (const c of order) {
      const t = tallies.get(c.name)!;
      const run = await t.commands.during(() => t.cpu.during(() => closedLoop(c.target, { connections: s.connections, seconds: slice })));
      assertAlive(...c.children);
      t.runs.push(run);
      parts.push(`${c.name} ${Math.round(run.ok / run.seconds)} req/s p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms`);
    }
    if (contenders.length > 1) say(`slice ${round + 1}/${slices}: ${parts.join(', ')}`);
  }
  const out = new Map<string, Measured>();
  for (const c of contenders) {
    const t = tallies.get(c.name)!;
    const run = mergeResults(t.runs);
    say(targetLine(figures(c.name, run), run));
    say(`  ${t.cpu.report(run.ok).line}`);
    say(`  ${t.commands.line(run.ok, '2xx request')}`);
    out.set(c.name, { run, warmOk: warmOk.get(c.name) ?? 0 });
  }
  return out;
}

/** One target alone: a warm-up, then one run of `s.seconds`. */
async function measure(contender: Contender, s: Settings, redis: RedisClient): Promise<Measured> {
  return (await measureAlternated([contender], s, redis, 1)).get(contender.name)!;
}

async function startTarget(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: Child; port: number; startedAt: number }> {
  const port = await freePort();
  const startedAt = Date.now();
  const child = startChild(name, entry, { ...env, BENCH_PORT: String(port), API_PORT: String(port) }, nodeArgs);
  await waitForPort(child, port);
  return { child, port, startedAt };
}

/** Seconds since a process started: the window to pass to bench/cpu-profile-summary.ts. */
const since = (startedAt: number) => ((Date.now() - startedAt) / 1000).toFixed(1);

async function main(): Promise<number> {
  const s = loadSettings();
  const runId = randomUUID().slice(0, 8);
  say(`bench:consume run ${runId}: ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), node ${process.version}, ${s.connections} connections (${clientKind()} client), ${s.seconds} s per phase after ${s.warmupSeconds} s warm-up (consume and koa_lua in ${s.slices} alternated slices each), lag phase at ${s.lagRate}/s; child logs in ${logDir}`);

  const stack = await startBenchStack();
  cleanups.push(() => stack.stop());
  watchStack(stack.pids);
  const appRedisUrl = redisDbUrl(stack.env.REDIS_URL!, redisDbs.consume);
  const env: Record<string, string> = { ...stack.env, REDIS_URL: appRedisUrl };
  const config = { ...stack.config, redis: { ...stack.config.redis, url: appRedisUrl } };
  const orm = await createOrm(config);
  const redis = createRedis(config);
  cleanups.push(async () => (redis.disconnect(), await orm.close()));
  const brands = await createBrands(orm, redis, { runId, count: s.brands, tokens: s.tokensPerBrand, app: s.app });
  const brandIds = brands.map((b) => b.customerId);
  cleanups.push(() => dropCustomerKeys(appRedisUrl, brandIds));
  const cost = await appCostTokens(orm, s.app);
  // The baseline's scratch schema is created and read as the owner: the app's role may create nothing.
  const databaseUrl = env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL!;
  const profArgs = s.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${s.cpuProfDir}`] : [];

  // (a) consume, the real API process, against (c) koa_lua, its floor, in alternated slices.
  // koa_lua: random customer ids in a Redis database of its own, deleted afterwards.
  const luaIds = brands.map(() => randomUUID());
  const luaRedisUrl = redisDbUrl(stack.env.REDIS_URL!, redisDbs.koaLua);
  cleanups.push(() => dropCustomerKeys(luaRedisUrl, luaIds));
  const lua = await startTarget('koa_lua', 'bench/targets/koa-lua-server.ts', {
    ...env, REDIS_URL: luaRedisUrl, BENCH_CUSTOMER_IDS: luaIds.join(','), BENCH_TOKENS: String(s.tokensPerBrand),
  }, profArgs);
  // The reconciler is the worker tier's job; on this machine it would share the same cores, so (a)
  // measures the request path alone and the debits wait in Redis streams. The same path with the
  // reconciler beside it is measured later: the pipeline.
  // The fair-use ceiling (default 1000/s per brand) would turn most of the load into 429s.
  const api = await startTarget('api', 'api/server.ts', { ...env, LOG_LEVEL: s.apiLogLevel, CONSUME_RATE_PER_SECOND: '1000000' }, profArgs);
  const target = consumeTarget(api.port, brands, s.app);
  const measuredFrom = Date.now() + 2 * s.warmupSeconds * 1000;
  const requestPath = await measureAlternated([
    { name: 'consume', target, children: [api.child] },
    { name: 'koa_lua', target: consumeTarget(lua.port, brands, s.app), children: [lua.child] },
  ], s, redis);
  const consume = requestPath.get('consume')!;
  const koaLua = requestPath.get('koa_lua')!;
  if (s.cpuProfDir) say(`consume was measured in slices from ${((measuredFrom - api.startedAt) / 1000).toFixed(1)} s to ${since(api.startedAt)} s of the API process`);
  await stopChild(lua.child);
  // Its streams are never trimmed: hundreds of MB that would make every later AOF rewrite fork and
  // copy them in the middle of the pipeline and lag phases.
  await dropCustomerKeys(luaRedisUrl, luaIds);

  // (b) pg_direct: scratch tables in their own schema, dropped afterwards. The debits of (a) wait
  // in their streams meanwhile, untouched.
  cleanups.push(() => dropPgDirectTables(databaseUrl));
  await createPgDirectTables(databaseUrl, s.brands, s.tokensPerBrand);
  const pgDirectEnv = { ...env, DATABASE_URL: databaseUrl, BENCH_CUSTOMERS: String(s.brands) };
  const pg = await startTarget('pg_direct', 'bench/targets/pg-direct-server.ts', pgDirectEnv, profArgs);
  const pgDirect = await measure({ name: 'pg_direct', target: consumeTarget(pg.port, brands, s.app), children: [pg.child] }, s, redis);
  await stopChild(pg.child);

  const reconciler = startChild('reconciler', 'reconciler/main.ts', { ...env, LOG_LEVEL: 'warn' }, profArgs);
  let debited = consume.warmOk + consume.run.ok;
  const backlog = await waitForReconciled(orm, brandIds, debited, s.drainTimeoutMs);
  say(`reconciled the ${debited} debits of consume in ${(backlog.waitedMs / 1000).toFixed(1)} s once the reconciler started (${backlog.count} rows)`);
  // The whole pipeline, from a drained start so the reconciler's figures are this phase's debits:
  // the request path with the reconciler on the same cores, until every debit is a ledger row.
  const pipelinePhase = async (name: string, children: Child[]): Promise<PipelineResult> => {
    const r = await measurePipeline({ orm, redis, brandIds, target, settings: s, debitedBefore: debited, children, onMeasureStart: () => resetCommandStats(redis) });
    assertAlive(...children);
    debited += r.debited;
    say(targetLine(figures(name, r.run), r.run));
    say(`  ${pipelineLine(name, r)}`);
    say(`  ${r.cpuLine}`);
    say(`  ${await commandStatsLine(redis, r.reconciled, 'reconciled debit')}`);
    return r;
  };
  const pipeline = await pipelinePhase('pipeline', [api.child, reconciler]);
  // The same with another tenant's job taking one of the two cores: what contention does to the
  // reconciliation path (lock waits, longer transactions, autovacuum behind) shows up here.
  const hog = startChild('cpu_hog', 'bench/targets/cpu-hog.ts', {});
  const contended = await pipelinePhase('pipeline+cpu_hog', [api.child, reconciler, hog]);
  await stopChild(hog);

  // Reconciliation lag: open loop at a fixed rate, from a drained start.
  const lagFrom = new Date();
  const lag = await openLoop(target, { ratePerSecond: s.lagRate, seconds: s.seconds, connections: s.connections });
  const lagTo = new Date();
  assertAlive(api.child, reconciler);
  debited += lag.ok;
  const achieved = lag.ok / lag.seconds;
  say(`lag phase: ${lag.sent} sent of ${Math.round(s.lagRate * s.seconds)} planned, ${lag.ok} debited, ${lag.non2xx + lag.errors} errors, achieved ${Math.round(achieved)}/s; answer latency from schedule p50 ${percentile(lag.latenciesMs, 50).toFixed(1)} ms p99 ${percentile(lag.latenciesMs, 99).toFixed(1)} ms`);
  const after = await waitForReconciled(orm, brandIds, debited, s.drainTimeoutMs);
  const lagStats = await reconcileLagP99(orm, brandIds, lagFrom, lagTo);
  say(`reconcile lag over ${lagStats.rows} debits: p50 ${Math.round(lagStats.p50Ms)} ms, p99 ${Math.round(lagStats.p99Ms)} ms (drained ${after.count}/${debited} within ${(after.waitedMs / 1000).toFixed(1)} s of the phase end)`);

  // The baseline once more, minutes after its own phase (and last, so the checkpoint its writes
  // bring lands in no other phase): how far it moved within this run, which the pipeline's ratio
  // cannot tell apart from the pipeline's own change. Printed, not judged.
  const pgAgain = await startTarget('pg_direct', 'bench/targets/pg-direct-server.ts', pgDirectEnv);
  const pgDirectAgain = await measure({ name: 'pg_direct again', target: consumeTarget(pgAgain.port, brands, s.app), children: [pgAgain.child] }, s, redis);
  await stopChild(pgAgain.child);

  const exact = await ledgerExactness(orm, brandIds, debited, cost);
  say(`ledger: ${exact.usageRows} usage rows and ${exact.ledgerTokens} tokens in usage entries for ${debited} debits × ${cost} token(s) = ${exact.expectedTokens}`);
  assertAlive(api.child, reconciler);
  await Promise.all([stopChild(api.child), stopChild(reconciler)]);
  if (s.cpuProfDir) say(`CPU profiles written to ${s.cpuProfDir} (summarise with: node_modules/.bin/tsx bench/cpu-profile-summary.ts <file>)`);

  const outcome = {
    consume: figures('consume', consume.run),
    pgDirect: figures('pg_direct', pgDirect.run),
    pgDirectAgain: figures('pg_direct again', pgDirectAgain.run),
    koaLua: figures('koa_lua', koaLua.run),
    pipeline,
    contended,
    lagAchievedRate: achieved,
    lagTargetRate: s.lagRate,
    reconcileLagP99Ms: lagStats.p99Ms,
    ledgerExact: exact.exact,
  };
  await cleanUp();
  for (const line of verdictLines(outcome)) say(line);
  say(finalLine(outcome));
  return outcome.ledgerExact ? 0 : 1;
}

process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    console.error(err);
    await cleanUp();
    process.exit(1);
  });
