// The audit's runs: which brands a run looks at, and what it found (read by /metrics).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DriftKind } from './compare';

export interface AuditRunStart {
  runId: string;
  /** Brands with activity from here on are audited; null: every brand (first run or full sweep). */
  since: string | null;
  fullSweep: boolean;
}

/**
 * Opens a run. Activity since the previous run's start (not its finish: what happened while it
 * ran is looked at again, never missed); a full sweep when none finished within `fullSweepEveryMs`,
 * so a brand with no activity at all (a cache tampered with while it sat idle) is still checked.
 * A finished run counts even if some brand's checks failed: one broken brand must not turn every
 * run into a full sweep; the next sweep looks at it again, and the success metric shows it.
 */
export async function startAuditRun(orm: MikroORM, opts: { fullSweepEveryMs: number; fullSweep?: boolean; onlyGivenBrands?: boolean }): Promise<AuditRunStart> {
  const sql = orm.em.fork().getConnection();
  // A run over a few named brands (support, tests) covers no period: it has neither flag nor `since`.
  if (opts.onlyGivenBrands) {
    const [row] = await sql.execute<{ id: string }[]>('insert into reconcile_audit_runs (full_sweep, since) values (false, null) returning id');
    return { runId: row!.id, since: null, fullSweep: false };
  }
  const [last] = await sql.execute<{ started_at: Date }[]>(
    'select started_at from reconcile_audit_runs where finished_at is not null and (full_sweep or since is not null) order by started_at desc limit 1',
  );
  const [sweep] = await sql.execute<{ started_at: Date }[]>(
    `select started_at from reconcile_audit_runs where finished_at is not null and full_sweep and started_at > now() - ? * interval '1 millisecond' limit 1`,
    [opts.fullSweepEveryMs],
  );
  const fullSweep = opts.fullSweep === true || !last || !sweep;
  const since = fullSweep || !last ? null : new Date(last.started_at);
  const [row] = await sql.execute<{ id: string }[]>('insert into reconcile_audit_runs (full_sweep, since) values (?, ?) returning id', [fullSweep, since]);
  return { runId: row!.id, since: since?.toISOString() ?? null, fullSweep };
}

/**
 * One page of brands to audit, by id. A brand counts as active with a ledger entry or a usage
 * batch since `since`, or a token pack not credited yet (whatever its age: Stripe may have been
 * paid long ago). Probes per brand use the (customer, created_at) indexes, so a page stays cheap
 * however long the ledger is.
 */
export async function brandsToAudit(orm: MikroORM, opts: { since: string | null; after: string | null; limit: number }): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(
      `select c.id from customers c
        where (?::uuid is null or c.id > ?::uuid)
          and (?::timestamptz is null
               or exists (select 1 from ledger_entries l where l.customer_id = c.id and l.created_at >= ?::timestamptz)
               or exists (select 1 from usage_batches b where b.customer_id = c.id and b.created_at >= ?::timestamptz)
               or exists (select 1 from token_pack_purchases p where p.customer_id = c.id and p.status in ('pending', 'paid')))
        order by c.id limit ?`,
      [opts.after, opts.after, opts.since, opts.since, opts.since, opts.limit],
    );
  return rows.map((r) => r.id);
}

export interface AuditRunResult {
  brands: number;
  /** Brands whose checks kept failing (Stripe or Temporal down): the run does not count as a success. */
  brandsFailed: number;
  drift: Record<DriftKind, number>;
  driftsFound: number;
}

export async function finishAuditRun(orm: MikroORM, runId: string, r: AuditRunResult): Promise<void> {
  await orm.em
    .fork()
    .getConnection()
    .execute('update reconcile_audit_runs set finished_at = now(), brands = ?, brands_failed = ?, drift = ?::jsonb, drifts_found = ? where id = ?', [
      r.brands, r.brandsFailed, JSON.stringify(r.drift), r.driftsFound, runId,
    ]);
}

export interface AuditFigures {
  /** The newest finished run's drift per kind (absent kinds: 0); null before any run finished. */
  drift: Partial<Record<DriftKind, number>> | null;
  /** When the newest run that checked every brand it meant to finished; null before the first. */
  lastSuccessAt: Date | null;
}

/** What /metrics reports, read at scrape time. */
export async function auditFigures(em: EntityManager): Promise<AuditFigures> {
  const sql = em.getConnection();
  const [last] = await sql.execute<{ drift: Record<string, number> }[]>('select drift from reconcile_audit_runs where finished_at is not null order by finished_at desc limit 1');
  const [ok] = await sql.execute<{ finished_at: Date }[]>('select finished_at from reconcile_audit_runs where finished_at is not null and brands_failed = 0 order by finished_at desc limit 1');
  return { drift: last ? (last.drift ?? {}) : null, lastSuccessAt: ok ? new Date(ok.finished_at) : null };
}
