// The whole debit pipeline as one figure: the request path with the reconciler beside it on the
// same cores, counted from the moment the measured load starts until its debits are ledger rows.
// A debit answered 200 but still in a Redis stream is not yet done; the drain after the load is
// part of the window, so a reconciler that falls behind lowers the figure instead of hiding.
import type { MikroORM } from '@mikro-orm/postgresql';
import { meteringKeys } from '../../domain/metering/keys';
import type { RedisClient } from '../../domain/infra/redis';
import type { Child } from './children';
import { startCpuWatch } from './cpu-usage';
import { usageCount } from './ledger';
import { closedLoop, type LoadResult, type Target } from './load';
import type { Settings } from './settings';

export interface PipelineResult {
  run: LoadResult;
  /** Debits of the warm-up and the run: what the next phase's expected row count adds. */
  debited: number;
  /** token_usage rows written from the start of the measured load to the end of the drain. */
  reconciled: number;
  /** Measured load plus drain, in seconds. */
  windowSeconds: number;
  /** From the end of the load until every debit was a row. */
  drainSeconds: number;
  drained: boolean;
  /** Ledger rows per second over the window: the pipeline's throughput. */
  rps: number;
  pgCpuUsPerDebit: number;
  /** WAL PostgreSQL wrote over the window (every database of the cluster), per reconciled debit. */
  walBytesPerDebit: number;
  reconcilerCpuUsPerDebit: number;
  cpuLine: string;
}

export interface PipelineInput {
  orm: MikroORM;
  /** The API's Redis database: the drain is watched on the streams, not by counting rows in PostgreSQL, whose CPU is measured. */
  redis: RedisClient;
  brandIds: string[];
  target: Target;
  settings: Settings;
  /** Rows expected before this phase: every earlier 200 is already reconciled. */
  debitedBefore: number;
  /** Labelled by their name in the CPU line; the reconciler must be called `reconciler`. */
  children: Child[];
  /** Called once the warm-up is over, as the measured window opens. */
  onMeasureStart?: () => Promise<unknown>;
}

export async function measurePipeline(p: PipelineInput): Promise<PipelineResult> {
  const s = p.settings;
  const warm = await closedLoop(p.target, { connections: s.connections, seconds: s.warmupSeconds });
  await p.onMeasureStart?.();
  const startedAt = Date.now();
  const rowsAtStart = await usageCount(p.orm, p.brandIds);
  const walAtStart = await walLsn(p.orm);
  const cpu = startCpuWatch([{ label: 'load generator', pid: process.pid }, ...p.children.map((c) => ({ label: c.name, pid: c.proc.pid ?? 0 }))], 'reconciled debit');
  const run = await closedLoop(p.target, { connections: s.connections, seconds: s.seconds });
  const loadEndedAt = Date.now();
  const debited = warm.ok + run.ok;
  const drained = await waitForEmptyStreams(p.redis, p.brandIds, s.drainTimeoutMs);
  const endedAt = Date.now();
  const rows = await usageCount(p.orm, p.brandIds);
  const reconciled = rows - rowsAtStart;
  const walBytes = await walSince(p.orm, walAtStart);
  const report = cpu(reconciled);
  const windowSeconds = (endedAt - startedAt) / 1000;
  return {
    run,
    debited,
    reconciled,
    windowSeconds,
    drainSeconds: (endedAt - loadEndedAt) / 1000,
    drained: drained && rows >= p.debitedBefore + debited,
    rps: reconciled / windowSeconds,
    pgCpuUsPerDebit: report.perUnitUs.get('postgres') ?? NaN,
    reconcilerCpuUsPerDebit: report.perUnitUs.get('reconciler') ?? NaN,
    walBytesPerDebit: walBytes / Math.max(1, reconciled),
    cpuLine: report.line,
  };
}

export function pipelineLine(name: string, r: PipelineResult): string {
  return `${name.padEnd(18)} ${Math.round(r.rps).toString().padStart(6)} debits/s into the ledger (${r.reconciled} rows in ${r.windowSeconds.toFixed(1)} s: ${r.run.seconds.toFixed(1)} s of load at ${Math.round(r.run.ok / r.run.seconds)} req/s, drained ${r.drained ? 'in' : 'NOT within'} ${r.drainSeconds.toFixed(1)} s); WAL ${Math.round(r.walBytesPerDebit)} bytes per debit`;
}

/** Entries are deleted from a stream only after their rows committed: empty streams mean drained. */
async function waitForEmptyStreams(redis: RedisClient, customerIds: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lengths = await Promise.all(customerIds.map((id) => redis.xlen(meteringKeys(id).debits)));
    if (lengths.every((n) => n === 0)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function walLsn(orm: MikroORM): Promise<string> {
  const [row] = await orm.em.getConnection().execute<{ lsn: string }[]>('select pg_current_wal_lsn()::text as lsn');
  return row!.lsn;
}

async function walSince(orm: MikroORM, lsn: string): Promise<number> {
  const [row] = await orm.em.getConnection().execute<{ bytes: string }[]>('select pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint as bytes', [lsn]);
  return Number(row!.bytes);
}
