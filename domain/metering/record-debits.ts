// Turns stream entries into rows, once: a debit into a token_usage row, a refund into `refund`
// ledger entries. The usage id and the customer's idempotency key are unique, and a use reaches
// the ledger only in the transaction that inserted its token_usage row, so a batch written twice
// (a reconciler killed after COMMIT, before trimming) adds nothing.
//
// Uses reach the ledger as one `usage` entry per batch, app and grant (`usage-batch:<seq>:<appId>`,
// `uses` counting them), not one per use: per-use ledger rows, each with its indexes and foreign
// keys, were most of what PostgreSQL spent per debit. token_usage keeps every use and its grant
// split (`allocation`), so nothing a per-use entry said is lost.
import type { AppUsageTotals } from '../billing/vocabulary';
import type { Sql } from '../infra/raw-sql';
import { pgArray } from './pg-array';
import type { DebitEntry } from './stream-entries';
import { rollupCte, rollupParams } from './usage-rollup';

export interface RecordedBatch {
  /** Debits and refunds new to PostgreSQL in this pass. */
  inserted: DebitEntry[];
  /** Debits whose idempotency key PostgreSQL already holds under another usage id: never expected; the caller rebuilds the balance. */
  conflicting: DebitEntry[];
  /** The usage batch written for the billing workflow, if anything was new. */
  seq: number | null;
}

export const allocationText = (e: DebitEntry) => e.allocation.map((a) => `${a.grantId}:${a.tokens}`).join(';');

/**
 * `assumeNew`: insert the uses plainly, without `on conflict`. A batch is almost always new, and
 * checking every unique index before every row (speculative insertion) cost PostgreSQL about 2 µs
 * per debit; a use already recorded then fails the statement with a unique violation
 * (`isUniqueViolation`), which aborts the transaction, and the caller redoes the batch without it.
 */
export async function recordDebits(tx: Sql, customerId: string, all: DebitEntry[], opts: { assumeNew?: boolean } = {}): Promise<RecordedBatch> {
  if (all.length === 0) return { inserted: [], conflicting: [], seq: null };
  // One use per usage id even if a stream held it twice: its ledger share is counted from this list.
  const seen = new Set<string>();
  const entries = all.filter((e) => e.kind === 'debit' && !seen.has(e.usageId) && seen.add(e.usageId));
  const refunds = all.filter((e) => e.kind === 'refund');
  const { inserted, conflicting } = await insertUsage(tx, customerId, entries, opts.assumeNew === true);
  const newRefunds = await insertRefunds(tx, customerId, refunds);
  if (inserted.length === 0 && newRefunds.length === 0) return { inserted, conflicting, seq: null };

  // Refunded uses are not billable: a batch counts them back out.
  const totals: Record<string, AppUsageTotals> = {};
  let tokens = 0;
  let first = Infinity;
  let last = -Infinity;
  const count = (e: DebitEntry, sign: 1 | -1) => {
    const t = (totals[e.appSlug] ??= { uses: 0, tokens: 0 });
    t.uses += sign;
    t.tokens += sign * e.costTokens;
    tokens += sign * e.costTokens;
    first = Math.min(first, e.debitedAtMs);
    last = Math.max(last, e.debitedAtMs);
  };
  for (const e of inserted) count(e, 1);
  for (const e of newRefunds) count(e, -1);
  const usage = usageEntries(inserted);
  // The batch row, its ledger entries and the usage_hourly rollup in one statement: one round
  // trip per batch, and the rollup moves exactly when the rows it sums do.
  const [batch] = await tx.query<{ seq: number }>(
    `with batch as (
       insert into usage_batches (customer_id, seq, uses, tokens, totals, first_debited_at, last_debited_at)
       select ?, coalesce(max(seq), 0) + 1, ?, ?, ?::jsonb, to_timestamp(? / 1000.0), to_timestamp(? / 1000.0)
         from usage_batches where customer_id = ?
       returning seq
     ), entries as (
       insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, app_id, uses, created_at)
       select ?, r.grant_id, 'usage', -r.tokens, 'usage-batch:' || b.seq || ':' || r.app_id, r.app_id, r.uses, clock_timestamp()
         from batch b, unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::int[]) as r(app_id, grant_id, tokens, uses)
     ), ${rollupCte}
     select seq from batch`,
    [
      customerId, inserted.length - newRefunds.length, tokens, JSON.stringify(totals), first, last, customerId,
      customerId, pgArray(usage.map((r) => r.appId)), pgArray(usage.map((r) => r.grantId)), pgArray(usage.map((r) => r.tokens)), pgArray(usage.map((r) => r.uses)),
      ...rollupParams(customerId, inserted, newRefunds),
    ],
  );
  return { inserted: [...inserted, ...newRefunds], conflicting, seq: batch!.seq };
}

const usageInsert = (onConflict: string) => `with touched as (
       update api_keys k set last_used_at = greatest(k.last_used_at, to_timestamp(t.t / 1000.0))
         from unnest(?::uuid[], ?::bigint[]) as t(id, t) where k.id = t.id and k.customer_id = ?
       returning k.id
     )
     insert into token_usage (id, customer_id, app_id, api_key_id, idempotency_key, request_hash, tokens, remaining_tokens, session_id, metadata, allocation, debited_at, created_at)
     select r.id, ?, r.app_id, touched.id, r.k, r.h, r.tokens, r.remaining, r.sid, r.md, r.al, to_timestamp(r.t / 1000.0), clock_timestamp()
       from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::jsonb[], ?::text[], ?::bigint[])
            as r(id, app_id, key_id, k, h, tokens, remaining, sid, md, al, t)
       left join touched on touched.id = r.key_id
     ${onConflict}
     returning id`;
const insertNew = usageInsert('');
const insertMissing = usageInsert('on conflict do nothing');
export const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505';

/**
 * One token_usage row per debit; returns the debits this statement inserted. The same statement
 * sets "last used" for the portal's key list, one write per key per batch (a batch written again
 * only repeats the same greatest()), and only a key that is this customer's may be named by a row:
 * any other (or one no longer there) is recorded as no key.
 */
async function insertUsage(tx: Sql, customerId: string, entries: DebitEntry[], assumeNew: boolean): Promise<{ inserted: DebitEntry[]; conflicting: DebitEntry[] }> {
  if (entries.length === 0) return { inserted: [], conflicting: [] };
  const lastUseByKey = new Map<string, number>();
  for (const e of entries) if (e.apiKeyId) lastUseByKey.set(e.apiKeyId, Math.max(lastUseByKey.get(e.apiKeyId) ?? 0, e.debitedAtMs));
  const col = <T extends string | number | null>(f: (e: DebitEntry) => T) => pgArray(entries.map(f));
  const params = [
    pgArray([...lastUseByKey.keys()]),
    pgArray([...lastUseByKey.values()]),
    customerId,
    customerId,
    col((e) => e.usageId),
    col((e) => e.appId),
    col((e) => e.apiKeyId),
    col((e) => e.idempotencyKey),
    col((e) => e.requestHash),
    col((e) => e.costTokens),
    col((e) => e.remainingTokens),
    col((e) => e.sessionId),
    col((e) => (e.metadata ? JSON.stringify(e.metadata) : null)),
    col(allocationText),
    col((e) => e.debitedAtMs),
  ];
  const rows = await tx.query<{ id: string }>(assumeNew ? insertNew : insertMissing, params);
  if (rows.length === entries.length) return { inserted: entries, conflicting: [] };
  const insertedIds = new Set(rows.map((r) => r.id));
  const inserted = entries.filter((e) => insertedIds.has(e.usageId));
  const skipped = entries.filter((e) => !insertedIds.has(e.usageId));
  const existing = await tx.query<{ id: string }>('select id from token_usage where id = any(?::uuid[])', [pgArray(skipped.map((e) => e.usageId))]);
  const recorded = new Set(existing.map((r) => r.id));
  return { inserted, conflicting: skipped.filter((e) => !recorded.has(e.usageId)) };
}

/** A refund gives a debit's allocation back, once per usage id (`refund:<usageId>`); returns the new ones. */
async function insertRefunds(tx: Sql, customerId: string, refunds: DebitEntry[]): Promise<DebitEntry[]> {
  // An unlimited plan's debit burnt no grant: its refund is one entry with no grant.
  const rows = refunds.flatMap((e): { op: string; grant_id: string | null; amount: number; app_id: string }[] =>
    e.allocation.length > 0
      ? e.allocation.map((a) => ({ op: `refund:${e.usageId}`, grant_id: a.grantId, amount: a.tokens, app_id: e.appId }))
      : [{ op: `refund:${e.usageId}`, grant_id: null, amount: e.costTokens, app_id: e.appId }],
  );
  if (rows.length === 0) return [];
  const written = await tx.query<{ operation_key: string }>(
    `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, app_id, created_at)
     select ?, r.grant_id, 'refund', r.amount, r.op, r.app_id, clock_timestamp()
       from unnest(?::text[], ?::uuid[], ?::bigint[], ?::uuid[]) as r(op, grant_id, amount, app_id)
     on conflict do nothing
     returning operation_key`,
    [customerId, pgArray(rows.map((r) => r.op)), pgArray(rows.map((r) => r.grant_id)), pgArray(rows.map((r) => r.amount)), pgArray(rows.map((r) => r.app_id))],
  );
  const writtenOps = new Set(written.map((r) => r.operation_key));
  return refunds.filter((e) => writtenOps.has(`refund:${e.usageId}`));
}

/**
 * The batch's uses as ledger entries: one per app and grant burnt (an unlimited plan's uses: one
 * per app, no grant). Only debits this transaction inserted into token_usage are counted, so the
 * entries are as idempotent as the rows; the batch number makes the operation key new.
 */
function usageEntries(inserted: DebitEntry[]): { appId: string; grantId: string | null; tokens: number; uses: number }[] {
  const groups = new Map<string, { appId: string; grantId: string | null; tokens: number; uses: number }>();
  const add = (appId: string, grantId: string | null, tokens: number) => {
    const key = `${appId}\n${grantId ?? ''}`;
    const g = groups.get(key) ?? { appId, grantId, tokens: 0, uses: 0 };
    g.tokens += tokens;
    g.uses += 1;
    groups.set(key, g);
  };
  for (const e of inserted) {
    if (e.allocation.length > 0) for (const a of e.allocation) add(e.appId, a.grantId, a.tokens);
    else add(e.appId, null, e.costTokens);
  }
  // A free use burns nothing: it is in token_usage and has no ledger movement.
  return [...groups.values()].filter((g) => g.tokens > 0);
}
