// Turns stream entries into rows, once: a debit into token_usage and `usage` ledger entries, a
// refund into `refund` ledger entries. The usage id and the customer's idempotency key are
// unique, and the ledger's (customer, operation, grant) is unique, so a batch written twice (a
// reconciler killed after COMMIT, before trimming) adds nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppUsageTotals } from '../billing/vocabulary';
import type { DebitEntry } from './stream-entries';

export interface RecordedBatch {
  /** Debits and refunds new to PostgreSQL in this pass. */
  inserted: DebitEntry[];
  /** Debits whose idempotency key PostgreSQL already holds under another usage id: never expected; the caller rebuilds the balance. */
  conflicting: DebitEntry[];
  /** The usage batch written for the billing workflow, if anything was new. */
  seq: number | null;
}

export async function recordDebits(tx: EntityManager, customerId: string, all: DebitEntry[]): Promise<RecordedBatch> {
  if (all.length === 0) return { inserted: [], conflicting: [], seq: null };
  const entries = all.filter((e) => e.kind === 'debit');
  const refunds = all.filter((e) => e.kind === 'refund');
  const usageRows = entries.map((e) => ({
    id: e.usageId, app_id: e.appId, api_key_id: e.apiKeyId, k: e.idempotencyKey, h: e.requestHash,
    tokens: e.costTokens, remaining: e.remainingTokens, sid: e.sessionId, md: e.metadata, t: e.debitedAtMs,
  }));
  const insertedRows = await tx.execute<{ id: string }[]>(
    `insert into token_usage (id, customer_id, app_id, api_key_id, idempotency_key, request_hash, tokens, remaining_tokens, session_id, metadata, debited_at, created_at)
     select r.id, ?, r.app_id, k.id, r.k, r.h, r.tokens, r.remaining, r.sid, r.md, to_timestamp(r.t / 1000.0), clock_timestamp()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, app_id uuid, api_key_id uuid, k text, h text, tokens bigint, remaining bigint, sid text, md jsonb, t bigint)
       left join api_keys k on k.id = r.api_key_id
     on conflict do nothing
     returning id`,
    [customerId, JSON.stringify(usageRows)],
  );
  const insertedIds = new Set(insertedRows.map((r) => r.id));
  const inserted = entries.filter((e) => insertedIds.has(e.usageId));
  const skipped = entries.filter((e) => !insertedIds.has(e.usageId));
  let conflicting: DebitEntry[] = [];
  if (skipped.length > 0) {
    const existing = await tx.execute<{ id: string }[]>(`select id from token_usage where id = any(?::uuid[])`, [`{${skipped.map((e) => e.usageId).join(',')}}`]);
    const known = new Set(existing.map((r) => r.id));
    conflicting = skipped.filter((e) => !known.has(e.usageId));
  }
  // One ledger row per grant a debit burned (a refund gives the same back); an unlimited plan's
  // debit is one row with no grant.
  const ledgerRows = [...inserted, ...refunds].flatMap((e): { op: string; kind: string; grant_id: string | null; amount: number; app_id: string }[] => {
    const [op, kind, sign] = e.kind === 'refund' ? [`refund:${e.usageId}`, 'refund', 1] : [`usage:${e.usageId}`, 'usage', -1];
    return e.allocation.length > 0
      ? e.allocation.map((a) => ({ op, kind, grant_id: a.grantId, amount: sign * a.tokens, app_id: e.appId }))
      : [{ op, kind, grant_id: null, amount: sign * e.costTokens, app_id: e.appId }];
  });
  const written = ledgerRows.length === 0 ? [] : await tx.execute<{ operation_key: string }[]>(
    `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, app_id, created_at)
     select ?, r.grant_id, r.kind, r.amount, r.op, r.app_id, clock_timestamp()
       from jsonb_to_recordset(?::jsonb) as r(op text, kind text, grant_id uuid, amount bigint, app_id uuid)
     on conflict do nothing
     returning operation_key`,
    [customerId, JSON.stringify(ledgerRows)],
  );
  const writtenOps = new Set(written.map((r) => r.operation_key));
  const newRefunds = refunds.filter((e) => writtenOps.has(`refund:${e.usageId}`));
  if (inserted.length === 0 && newRefunds.length === 0) return { inserted, conflicting, seq: null };

  // "Last used" for the portal's key list: one write per key per batch, not per debit.
  const lastUseByKey = new Map<string, number>();
  for (const e of inserted) if (e.apiKeyId) lastUseByKey.set(e.apiKeyId, Math.max(lastUseByKey.get(e.apiKeyId) ?? 0, e.debitedAtMs));
  if (lastUseByKey.size > 0) {
    await tx.execute(
      `update api_keys k set last_used_at = greatest(k.last_used_at, to_timestamp(r.t / 1000.0))
         from jsonb_to_recordset(?::jsonb) as r(id uuid, t bigint) where k.id = r.id and k.customer_id = ?`,
      [JSON.stringify([...lastUseByKey].map(([id, t]) => ({ id, t }))), customerId],
    );
  }

  // Refunded uses are not billable: a batch counts them back out.
  const totals: Record<string, AppUsageTotals> = {};
  const counted = [...inserted.map((e) => [e, 1] as const), ...newRefunds.map((e) => [e, -1] as const)];
  for (const [e, sign] of counted) {
    const t = (totals[e.appSlug] ??= { uses: 0, tokens: 0 });
    t.uses += sign;
    t.tokens += sign * e.costTokens;
  }
  const times = counted.map(([e]) => e.debitedAtMs);
  const [batch] = await tx.execute<{ seq: number }[]>(
    `insert into usage_batches (customer_id, seq, uses, tokens, totals, first_debited_at, last_debited_at)
     select ?, coalesce(max(seq), 0) + 1, ?, ?, ?::jsonb, to_timestamp(? / 1000.0), to_timestamp(? / 1000.0)
       from usage_batches where customer_id = ?
     returning seq`,
    [customerId, inserted.length - newRefunds.length, counted.reduce((sum, [e, sign]) => sum + sign * e.costTokens, 0), JSON.stringify(totals), Math.min(...times), Math.max(...times), customerId],
  );
  return { inserted: [...inserted, ...newRefunds], conflicting, seq: batch?.seq ?? null };
}
