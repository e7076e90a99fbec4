// One chaos run: a stack of its own, brands, a consume storm and (optionally) the billing
// flow; then each fault in turn, the time to recover from it, and the checks once settled.
// `npm run chaos` and the short jest version (test/chaos/) both call `runChaos`.
import { randomUUID } from 'node:crypto';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../../domain/infra/db';
import { createRedis, type RedisClient } from '../../../domain/infra/redis';
import type { ProductProcess } from '../product-processes';
import type { Profile } from '../profiles';
import { buyPack, subscribe } from './billing-flow';
import { createBrand, type ChaosBrand } from './brands';
import { checkLedger, checkPacks, checkWorkflowUsage, type CheckContext } from './checks';
import { faults, timeToRecover, type FaultContext, type FaultName } from './faults';
import { AnswerLog, badAnswers, sleep, type Answer } from './http';
import { startChaosStack } from './stack';
import { Storm, type StormOptions } from './storm';

export interface ChaosOptions {
  profile: Profile;
  faults: FaultName[];
  /** Drive a subscription and a token-pack purchase per fault through the API; needs the worker. */
  billing: boolean;
  brands: number;
  storm: StormOptions;
  downMs: number;
  recoverTimeoutMs: number;
  drainTimeoutMs: number;
  /** Variables for the product's processes. */
  env?: Record<string, string>;
  /**
   * Run without Temporal and stripe-mock (and so without the worker, billing, or Temporal
   * faults): the short run in `npm test` shares two cores with the other test files.
   */
  withoutTemporal?: boolean;
  say(line: string): void;
}

export interface FaultOutcome {
  name: FaultName;
  recoverS: number | null;
  lost: string[];
  double: string[];
  bad: Answer[];
  problems: string[];
}

export interface ChaosOutcome {
  faults: FaultOutcome[];
  lost: number;
  double: number;
  bad: number;
  problems: string[];
  recoverP99S: number;
  /** `faults=N lost=0 double=0 recover_p99_s=X.X`, the run's last line. */
  line: string;
}

/** Nearest rank, so with six faults the p99 is the slowest recovery. */
export function p99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

function tally(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const k = a.status === 200 || a.status === 201 ? '2xx' : a.status === 0 ? `no answer (${a.code})` : `${a.status} ${a.code ?? ''}`.trim();
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(', ');
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosOutcome> {
  const { say } = opts;
  const processes = new Set<ProductProcess>(['reconciler', 'api']);
  if (opts.billing || opts.faults.includes('kill-worker')) processes.add('worker');
  const ordered = (['worker', 'reconciler', 'api'] as const).filter((p) => processes.has(p));
  say(`chaos: starting the ${opts.profile.name} stack in ${opts.profile.dataDir} and ${ordered.join(', ')} under supervision`);
  if (opts.withoutTemporal && (processes.has('worker') || opts.faults.includes('restart-temporal'))) throw new Error('the worker, billing and Temporal faults need Temporal');
  const stack = await startChaosStack({
    profile: opts.profile,
    processes: ordered,
    services: opts.withoutTemporal ? ['postgres', 'redis'] : undefined,
    env: opts.env,
    log: (l) => say(`  supervisor: ${l}`),
  });
  const log = new AnswerLog();
  let storm: Storm | undefined;
  let orm: MikroORM | undefined;
  let redis: RedisClient | undefined;
  let connection: Connection | undefined;
  try {
    orm = await createOrm(stack.config);
    redis = createRedis(stack.config);
    // Redis is restarted on purpose: the suite's own client reconnects, quietly.
    redis.on('error', () => undefined);
    connection = opts.withoutTemporal ? undefined : await Connection.connect({ address: stack.config.temporal.address });
    const temporal = connection && new TemporalClient({ connection, namespace: stack.config.temporal.namespace });
    const runId = randomUUID().slice(0, 8);
    const brands: ChaosBrand[] = [];
    for (let i = 0; i < opts.brands; i += 1) brands.push(await createBrand(stack.apiUrl, log, orm, redis, { runId, index: i, app: opts.storm.app, tokens: 10_000_000 }));
    const customerIds = brands.map((b) => b.customerId);
    const billed = opts.billing ? brands[0] : undefined;
    if (billed) {
      await subscribe(billed.admin, 'professional');
      say(`chaos: brand ${billed.customerId} subscribed to professional through the API and a signed test webhook`);
    }
    const [app] = await orm.em.fork().getConnection().execute<{ cost_tokens: string }[]>('select cost_tokens from apps where slug = ?', [opts.storm.app]);
    const check: CheckContext = { orm, redis, temporal, customerIds, billedCustomerIds: billed ? [billed.customerId] : [], costTokens: Number(app!.cost_tokens) };
    const ctx: FaultContext = { stack, log, orm, temporal, customerIds, billedCustomerId: billed?.customerId, downMs: opts.downMs, say };

    storm = new Storm(stack.apiUrl, brands, log, opts.storm);
    storm.start();
    await sleep(1_000);
    const outcomes: FaultOutcome[] = [];
    const purchases: string[] = [];
    for (const name of opts.faults) {
      const fault = faults[name];
      const from = log.answers.length;
      const problems: string[] = [];
      say(`fault ${name}`);
      // A purchase in flight while the fault hits.
      const pack = billed
        ? buyPack(billed.admin, 'tokens_5k').then((id) => void purchases.push(id), (err: unknown) => void problems.push(`token pack: ${err instanceof Error ? err.message : err}`))
        : Promise.resolve();
      const since = Date.now();
      await fault.inject(ctx);
      const recoverS = await timeToRecover(ctx, fault.recovered, since, Date.now(), opts.recoverTimeoutMs);
      if (recoverS === null) problems.push(`not recovered within ${opts.recoverTimeoutMs / 1000} s`);
      await pack;
      await sleep(1_000);
      await storm.pause();
      const verdict = await checkLedger(check, [...storm.debits.values()], opts.drainTimeoutMs);
      problems.push(...verdict.problems, ...(await checkWorkflowUsage(check, opts.drainTimeoutMs)), ...(await checkPacks(check, purchases)));
      const answers = log.since(from);
      const bad = badAnswers(answers);
      for (const b of bad.slice(0, 5)) problems.push(`bad answer to ${b.what}: ${b.status} ${b.code ?? ''} after ${((b.at - b.sentAt) / 1000).toFixed(1)} s`);
      const outcome: FaultOutcome = { name, recoverS, lost: verdict.lost, double: verdict.double, bad, problems };
      outcomes.push(outcome);
      say(`  recovered in ${recoverS === null ? '—' : recoverS.toFixed(1)} s; answers: ${tally(answers)}`);
      say(`  lost=${verdict.lost.length} double=${verdict.double.length} bad_5xx=${bad.length}${problems.length ? `; ${problems.join('; ')}` : '; ledger, balances' + (billed ? ', workflow usage and packs' : '') + ' agree'}`);
      storm.resume();
    }
    await storm.stop();
    if (stack.gaveUp.length) outcomes.at(-1)?.problems.push(...stack.gaveUp);
    // Lost and double are over the whole run: the last check saw every debit of every fault.
    const last = outcomes.at(-1);
    const lost = last?.lost.length ?? 0;
    const double = last?.double.length ?? 0;
    const recoverP99S = p99(outcomes.map((o) => o.recoverS ?? opts.recoverTimeoutMs / 1000));
    const debits = storm.debits.size;
    say(`chaos: ${debits} debits answered 200 over ${opts.faults.length} faults, ${log.answers.length} requests in all`);
    return {
      faults: outcomes,
      lost,
      double,
      bad: outcomes.reduce((n, o) => n + o.bad.length, 0),
      problems: outcomes.flatMap((o) => o.problems.map((p) => `${o.name}: ${p}`)),
      recoverP99S,
      line: `faults=${outcomes.length} lost=${lost} double=${double} recover_p99_s=${recoverP99S.toFixed(1)}`,
    };
  } finally {
    await storm?.stop();
    await connection?.close().catch(() => undefined);
    redis?.disconnect();
    await orm?.close().catch(() => undefined);
    await stack.stop();
  }
}
