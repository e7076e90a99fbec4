// A token pack in the ledger: credited once when paid, and its unused tokens taken back once
// when refunded. Both lock the purchase row first and the customer second (same order, so no
// deadlock), which makes the outcome independent of which Stripe event arrives first.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RedisClient } from '../infra/redis';
import { fromBigintColumn } from '../units';
import { lockCustomer } from './customer-lock';
import { insertGrant } from './grants';
import { publishBalance } from './publish';
import { drainStream } from './rebuild-balance';
import { invalidateBalance, trimDebits } from './scripts';
import type { DebitEntry } from './stream-entries';

interface PurchaseRow {
  id: string;
  customer_id: string;
  status: string;
  tokens: string;
  amount_cents: string;
  refunded_cents: string;
  grant_id: string | null;
}

async function lockPurchase(tx: EntityManager, purchaseId: string): Promise<PurchaseRow | undefined> {
  const [row] = await tx.execute<PurchaseRow[]>(
    'select id, customer_id, status, tokens, amount_cents, refunded_cents, grant_id from token_pack_purchases where id = ? for update',
    [purchaseId],
  );
  return row;
}

/**
 * Under the purchase and customer locks, with every pending debit already in the ledger: takes
 * back the refunded share of the pack's grant as one `clawback` entry per refund level. Full:
 * what is left, min(remaining, granted) (clawback:<purchaseId>). Partial: the same share of the
 * pack's tokens, rounded down, minus what earlier partial refunds took, never more than is left
 * (clawback:<purchaseId>:<refundedCents>). Returns the tokens taken now; a repeat takes none.
 */
async function takeRefundedShare(tx: EntityManager, row: PurchaseRow, grantId: string, share?: RefundedShare): Promise<number> {
  const full = isFull(share);
  const [grant] = await tx.execute<{ amount_tokens: string; remaining: string; clawed: string }[]>(
    `select g.amount_tokens, coalesce(sum(l.amount_tokens), 0) as remaining,
            coalesce(-sum(l.amount_tokens) filter (where l.kind = 'clawback'), 0) as clawed
       from token_grants g left join ledger_entries l on l.grant_id = g.id
      where g.id = ? group by g.id`,
    [grantId],
  );
  const granted = fromBigintColumn(grant!.amount_tokens, 'grant amount');
  const left = Math.min(Math.max(fromBigintColumn(grant!.remaining, 'grant remaining'), 0), granted);
  const target = full ? left : Math.floor((granted * share!.refundedCents) / share!.chargeCents) - fromBigintColumn(grant!.clawed, 'clawed back');
  const amount = Math.min(left, Math.max(target, 0));
  if (amount <= 0) return 0;
  const inserted = await tx.execute<{ id: string }[]>(
    `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, reason)
     values (?, ?, 'clawback', ?, ?, ?) on conflict do nothing returning id`,
    [
      row.customer_id,
      grantId,
      -amount,
      full ? `clawback:${row.id}` : `clawback:${row.id}:${share!.refundedCents}`,
      full ? 'token pack refunded' : `token pack partly refunded (${share!.refundedCents} of ${share!.chargeCents} cents)`,
    ],
  );
  return inserted.length ? amount : 0;
}

export type CreditOutcome =
  | { outcome: 'credited'; customerId: string; grantId: string; tokens: number; created: boolean }
  /** The refund was applied first: nothing is credited. */
  | { outcome: 'refunded'; customerId: string }
  | { outcome: 'missing' };

/** Grants the pack's tokens once (sourceRef = purchase id) and marks the purchase credited. */
export async function creditPurchase(orm: MikroORM, redis: RedisClient, input: { purchaseId: string; paymentIntentId?: string | null; now: Date }): Promise<CreditOutcome> {
  const result = await orm.em.fork().transactional(async (tx): Promise<CreditOutcome> => {
    const row = await lockPurchase(tx, input.purchaseId);
    if (!row) return { outcome: 'missing' };
    if (row.status === 'refunded') return { outcome: 'refunded', customerId: row.customer_id };
    const tokens = fromBigintColumn(row.tokens, 'purchase tokens');
    const { grantId, created } = await insertGrant(tx, {
      customerId: row.customer_id,
      source: 'token_pack',
      sourceRef: row.id,
      amountTokens: tokens,
      effectiveAt: input.now,
    });
    const refundedCents = fromBigintColumn(row.refunded_cents, 'refunded cents');
    // Refunded in part before the payment reached us: the share goes at once (the grant is not in the cache yet).
    if (created && refundedCents > 0) await takeRefundedShare(tx, row, grantId, { refundedCents, chargeCents: fromBigintColumn(row.amount_cents, 'amount') });
    await tx.execute(
      `update token_pack_purchases
          set status = 'credited', grant_id = ?, paid_at = coalesce(paid_at, ?), credited_at = coalesce(credited_at, ?),
              stripe_payment_intent_id = coalesce(stripe_payment_intent_id, ?)
        where id = ?`,
      [grantId, input.now, input.now, input.paymentIntentId ?? null, row.id],
    );
    return { outcome: 'credited', customerId: row.customer_id, grantId, tokens, created };
  });
  if (result.outcome === 'credited' && result.created) {
    await invalidateBalance(redis, result.customerId);
    await publishBalance(orm, redis, result.customerId);
  }
  return result;
}

export type ClawbackOutcome = { outcome: 'clawed-back'; customerId: string; clawedBackTokens: number } | { outcome: 'missing' };

/** How much of the charge Stripe has refunded so far (cumulative), in cents. Absent: all of it. */
export interface RefundedShare {
  refundedCents: number;
  chargeCents: number;
}

const isFull = (share?: RefundedShare) => !share || share.chargeCents <= 0 || share.refundedCents >= share.chargeCents;

/**
 * Takes back the refunded share of the pack (takeRefundedShare). Spent tokens stay spent; a
 * repeat writes nothing. A purchase refunded before it was credited only records the refund:
 * in full it is marked refunded and creditPurchase then refuses it; in part, creditPurchase
 * takes the share as it credits.
 */
export async function clawBackPurchase(orm: MikroORM, redis: RedisClient, input: { purchaseId: string; now: Date; share?: RefundedShare }): Promise<ClawbackOutcome> {
  const full = isFull(input.share);
  const drained: DebitEntry[] = [];
  let customerId: string | undefined;
  const result = await orm.em.fork().transactional(async (tx): Promise<ClawbackOutcome> => {
    const row = await lockPurchase(tx, input.purchaseId);
    if (!row) return { outcome: 'missing' };
    let clawedBackTokens = 0;
    if (row.grant_id) {
      await lockCustomer(tx, row.customer_id);
      customerId = row.customer_id;
      // A clawback lowers the balance, so the cache goes first (no debit can spend the pack's
      // tokens while we count them), then every debit still in Redis is written to the ledger:
      // "unused" is then exact, never counting a use twice or missing one.
      await invalidateBalance(redis, row.customer_id);
      drained.push(...(await drainStream(tx, redis, row.customer_id)));
      clawedBackTokens = await takeRefundedShare(tx, row, row.grant_id, input.share);
    }
    // Kept on the purchase so a credit that comes after a partial refund takes the share at once.
    const refundedCents = full ? fromBigintColumn(row.amount_cents, 'amount') : input.share!.refundedCents;
    await tx.execute('update token_pack_purchases set refunded_cents = greatest(refunded_cents, ?) where id = ?', [refundedCents, row.id]);
    // Only a full refund ends the purchase; after a partial one the rest of the pack stays usable.
    if (full) await tx.execute(`update token_pack_purchases set status = 'refunded', refunded_at = coalesce(refunded_at, ?) where id = ?`, [input.now, row.id]);
    return { outcome: 'clawed-back', customerId: row.customer_id, clawedBackTokens };
  });
  if (customerId) await trimDebits(redis, customerId, drained.map((e) => e.streamId));
  if (result.outcome === 'clawed-back' && result.clawedBackTokens > 0) {
    await invalidateBalance(redis, result.customerId);
    await publishBalance(orm, redis, result.customerId);
  }
  return result;
}
