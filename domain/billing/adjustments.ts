// Operator adjustments in the ledger, applied by the billing workflow's activity. Like a pack
// clawback, it holds the brand's lock, drops the cached balance first (no debit spends against
// the old figure while we count) and writes every debit still in Redis to the ledger, so what a
// grant "holds" counts every use once. A credit is its own grant (source `adjustment`) with one
// positive `adjustment` entry; a take-back is one negative `adjustment` entry per grant it takes
// from, never more than a grant holds. One row in token_adjustments per billing message: a
// retried activity finds it and answers the same.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import { fromBigintColumn } from '../units';
import { lockCustomer } from '../metering/customer-lock';
import { availableTokens, ledgerBalance } from '../metering/ledger-balance';
import { publishBalance } from '../metering/publish';
import { drainStream } from '../metering/rebuild-balance';
import { invalidateBalance, trimDebits } from '../metering/scripts';
import type { DebitEntry } from '../metering/stream-entries';
import { adjustmentReasonText, splitTakeBack, type AdjustmentReason } from './adjustment-rules';

export interface AdjustmentRequest {
  customerId: string;
  /** The billing message id: the adjustment's idempotency key. */
  messageId: string;
  /** Positive credits, negative takes back. */
  tokens: number;
  reasonCode: AdjustmentReason;
  note: string | null;
  /** A credit's expiry (ISO, end exclusive); null never. */
  expiresAt: string | null;
  actorId: string;
}

export interface AdjustmentView {
  adjustmentId: string;
  tokens: number;
  reasonCode: AdjustmentReason;
  note: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export type AdjustmentOutcome =
  | { outcome: 'adjusted'; adjustment: AdjustmentView; balance: number | null }
  | { outcome: 'exceeds-balance'; availableTokens: number }
  | { outcome: 'unlimited' }
  /** The cycle the credit was to expire with has ended (its rollover is under way). */
  | { outcome: 'cycle-ended' };

interface AdjustmentRow {
  id: string;
  tokens: string;
  reason_code: AdjustmentReason;
  note: string | null;
  expires_at: Date | null;
  created_at: Date;
}

const columns = 'id, tokens, reason_code, note, expires_at, created_at';

const view = (r: AdjustmentRow): AdjustmentView => ({
  adjustmentId: r.id,
  tokens: fromBigintColumn(r.tokens, 'adjustment tokens'),
  reasonCode: r.reason_code,
  note: r.note,
  expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

async function balanceOf(tx: EntityManager, customerId: string, now: Date): Promise<number | null> {
  return availableTokens(await ledgerBalance(tx, customerId, now), now);
}

async function writeEntry(tx: EntityManager, a: AdjustmentRequest, id: string, grantId: string, tokens: number): Promise<void> {
  await tx.execute(
    `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, reason, actor_id) values (?, ?, 'adjustment', ?, ?, ?, ?)`,
    [a.customerId, grantId, tokens, `adjustment:${id}`, adjustmentReasonText(a.reasonCode, a.note), a.actorId],
  );
}

async function adjustInTx(tx: EntityManager, redis: RedisClient, a: AdjustmentRequest, drained: DebitEntry[]): Promise<AdjustmentOutcome> {
  await lockCustomer(tx, a.customerId);
  const now = new Date();
  const [done] = await tx.execute<AdjustmentRow[]>(`select ${columns} from token_adjustments where customer_id = ? and message_id = ?`, [a.customerId, a.messageId]);
  if (done) return { outcome: 'adjusted', adjustment: view(done), balance: await balanceOf(tx, a.customerId, now) };
  await invalidateBalance(redis, a.customerId);
  drained.push(...(await drainStream(tx, redis, a.customerId)));
  const ledger = await ledgerBalance(tx, a.customerId, now);
  if (ledger.unlimited) return { outcome: 'unlimited' };
  if (a.tokens > 0 && a.expiresAt && Date.parse(a.expiresAt) <= now.getTime()) return { outcome: 'cycle-ended' };
  const id = randomUUID();
  let grantId: string | null = null;
  if (a.tokens > 0) {
    const [grant] = await tx.execute<{ id: string }[]>(
      `insert into token_grants (customer_id, source, source_ref, amount_tokens, effective_at, expires_at) values (?, 'adjustment', ?, ?, ?, ?) returning id`,
      [a.customerId, id, a.tokens, now, a.expiresAt],
    );
    grantId = grant!.id;
    await writeEntry(tx, a, id, grantId, a.tokens);
  } else {
    const usable = ledger.grants.filter((g) => g.effectiveAt <= now);
    const parts = splitTakeBack(usable, -a.tokens);
    if (!parts) return { outcome: 'exceeds-balance', availableTokens: availableTokens(ledger, now) ?? 0 };
    for (const p of parts) await writeEntry(tx, a, id, p.grantId, -p.tokens);
  }
  const [row] = await tx.execute<AdjustmentRow[]>(
    `insert into token_adjustments (id, customer_id, message_id, tokens, reason_code, note, expires_at, grant_id, actor_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${columns}`,
    [id, a.customerId, a.messageId, a.tokens, a.reasonCode, a.note, a.tokens > 0 ? a.expiresAt : null, grantId, a.actorId],
  );
  return { outcome: 'adjusted', adjustment: view(row!), balance: await balanceOf(tx, a.customerId, now) };
}

export async function applyAdjustment(orm: MikroORM, redis: RedisClient, a: AdjustmentRequest): Promise<AdjustmentOutcome> {
  const drained: DebitEntry[] = [];
  const result = await orm.em.fork().transactional((tx) => adjustInTx(tx, redis, a, drained));
  await trimDebits(redis, a.customerId, drained.map((e) => e.streamId));
  // Dropped again after COMMIT: a debit that rebuilt the cache meanwhile waited on our lock and
  // read the ledger after us, but one more drop costs a rebuild, never a wrong balance.
  await invalidateBalance(redis, a.customerId);
  await publishBalance(orm, redis, a.customerId);
  return result;
}

export async function findAdjustment(em: EntityManager, adjustmentId: string): Promise<(AdjustmentView & { customerId: string }) | null> {
  const [row] = await em.execute<(AdjustmentRow & { customer_id: string })[]>(`select ${columns}, customer_id from token_adjustments where id = ?`, [adjustmentId]);
  return row ? { ...view(row), customerId: row.customer_id } : null;
}

/** The brand's adjustments, newest first, as its billing page lists them. */
export async function listAdjustments(em: EntityManager, customerId: string, limit: number): Promise<AdjustmentView[]> {
  const rows = await em.execute<AdjustmentRow[]>(`select ${columns} from token_adjustments where customer_id = ? order by created_at desc, id limit ?`, [customerId, limit]);
  return rows.map(view);
}
