// The usage side of the audit: the usage_batches outbox (written with the ledger rows it sums)
// after the number the billing workflow says it applied last.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { UsageBatch } from '../billing/vocabulary';
import { fromBigintColumn } from '../units';

export type AuditedBatch = UsageBatch & { createdAtMs: number };

interface Row {
  seq: number;
  uses: number;
  tokens: string;
  totals: UsageBatch['totals'];
  first_debited_at: Date;
  last_debited_at: Date;
  created_at: Date;
}

/** Batches numbered after `afterSeq`, oldest first, at most `limit` (the signaler's own page size). */
export async function batchesAfter(orm: MikroORM, customerId: string, afterSeq: number, limit = 500): Promise<AuditedBatch[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<Row[]>(
      'select seq, uses, tokens, totals, first_debited_at, last_debited_at, created_at from usage_batches where customer_id = ? and seq > ? order by seq limit ?',
      [customerId, afterSeq, limit],
    );
  return rows.map((r) => ({
    seq: r.seq,
    uses: r.uses,
    tokens: fromBigintColumn(r.tokens, 'batch tokens'),
    totals: r.totals,
    firstDebitedAt: new Date(r.first_debited_at).toISOString(),
    lastDebitedAt: new Date(r.last_debited_at).toISOString(),
    createdAtMs: new Date(r.created_at).getTime(),
  }));
}
