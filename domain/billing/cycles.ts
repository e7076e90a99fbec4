// A billing cycle in the ledger: its allowance is granted once (grant keyed by the cycle's
// start), raised once per upgrade, and at the end what is left of it is expired once (ledger
// operation expiry:<grantId>). Closing and opening the next cycle share one transaction, so a
// debit at the boundary never finds the brand without an allowance.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AppUsageTotals } from './vocabulary';
import type { RedisClient } from '../infra/redis';
import { fromBigintColumn } from '../units';
import { insertGrant } from '../metering/grants';
import { publishBalance } from '../metering/publish';
import { drainStream } from '../metering/rebuild-balance';
import { trimDebits } from '../metering/scripts';
import type { DebitEntry } from '../metering/stream-entries';
import { planAllowance, writeBillingState, type BillingReadModel } from './read-model';

/** ISO times; end exclusive. */
export interface CycleWindow {
  startAt: string;
  endAt: string;
}

export interface OpenedCycle {
  /** The plan allowance of the cycle; null is unlimited, 0 without a plan. */
  allowanceTokens: number | null;
  /** Pack and adjustment tokens usable at the cycle start: with the allowance, the base of the usage alerts. */
  carriedTokens: number;
}

export interface ClosedCycle {
  uses: number;
  usedTokens: number;
  refundedTokens: number;
  expiredTokens: number;
  byApp: Record<string, AppUsageTotals>;
}

export const allowanceRef = (cycle: CycleWindow) => `cycle:${cycle.startAt}`;

async function grantAllowance(tx: EntityManager, customerId: string, planKey: string | null, cycle: CycleWindow, sourceRef: string, amountTokens?: number): Promise<number | null> {
  if (planKey === null) return 0;
  const allowance = await planAllowance(tx, planKey);
  if (allowance === undefined) throw new Error(`no billing plan ${planKey}; run the seed`);
  if (allowance === null) return null;
  const amount = amountTokens ?? allowance;
  if (amount > 0) await insertGrant(tx, { customerId, source: 'plan_allowance', sourceRef, amountTokens: amount, effectiveAt: new Date(cycle.startAt), expiresAt: new Date(cycle.endAt) });
  return allowance;
}

async function carriedTokens(tx: EntityManager, customerId: string, at: string): Promise<number> {
  const [row] = await tx.execute<{ tokens: string }[]>(
    `select coalesce(sum(greatest(remaining, 0)), 0) as tokens from (
       select coalesce(sum(l.amount_tokens), 0) as remaining from token_grants g left join ledger_entries l on l.grant_id = g.id
        where g.customer_id = ? and g.source <> 'plan_allowance' and g.effective_at <= ? and (g.expires_at is null or g.expires_at > ?)
        group by g.id) t`,
    [customerId, at, at],
  );
  return fromBigintColumn(row!.tokens, 'carried tokens');
}

/**
 * Expires what is left of every allowance grant that started before `before` (the next cycle's
 * grant starts at it), once per grant. The caller holds the customer's lock and has written the
 * brand's pending debits to the ledger, so "what is left" counts every use.
 */
async function expireAllowances(tx: EntityManager, customerId: string, before: string): Promise<number> {
  const leftovers = await tx.execute<{ id: string; remaining: string }[]>(
    `select g.id, coalesce(sum(l.amount_tokens), 0) as remaining from token_grants g left join ledger_entries l on l.grant_id = g.id
      where g.customer_id = ? and g.source = 'plan_allowance' and g.effective_at < ?
      group by g.id having coalesce(sum(l.amount_tokens), 0) > 0`,
    [customerId, before],
  );
  let expiredTokens = 0;
  for (const g of leftovers) {
    const amount = fromBigintColumn(g.remaining, 'allowance remaining');
    const inserted = await tx.execute<{ id: string }[]>(
      `insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, reason)
       values (?, ?, 'expiry', ?, ?, 'plan allowance expired at the cycle end') on conflict do nothing returning id`,
      [customerId, g.id, -amount, `expiry:${g.id}`],
    );
    if (inserted.length) expiredTokens += amount;
  }
  return expiredTokens;
}

/** Expires the cycle's leftover allowance and records the cycle. */
async function closeInTx(tx: EntityManager, customerId: string, cycle: CycleWindow, planKey: string | null, allowanceTokens: number | null): Promise<ClosedCycle> {
  const expiredTokens = await expireAllowances(tx, customerId, cycle.endAt);
  const apps = await tx.execute<{ slug: string; uses: number; tokens: string }[]>(
    `select a.slug, count(*)::int as uses, coalesce(sum(u.tokens), 0) as tokens from token_usage u join apps a on a.id = u.app_id
      where u.customer_id = ? and u.debited_at >= ? and u.debited_at < ? group by a.slug order by a.slug`,
    [customerId, cycle.startAt, cycle.endAt],
  );
  const [refunds] = await tx.execute<{ tokens: string }[]>(
    `select coalesce(sum(amount_tokens), 0) as tokens from ledger_entries where customer_id = ? and kind = 'refund' and created_at >= ? and created_at < ?`,
    [customerId, cycle.startAt, cycle.endAt],
  );
  const byApp = Object.fromEntries(apps.map((a) => [a.slug, { uses: a.uses, tokens: fromBigintColumn(a.tokens, 'app tokens') }]));
  const closed: ClosedCycle = {
    uses: apps.reduce((n, a) => n + a.uses, 0),
    usedTokens: Object.values(byApp).reduce((n, a) => n + a.tokens, 0),
    refundedTokens: fromBigintColumn(refunds!.tokens, 'refunded tokens'),
    expiredTokens,
    byApp,
  };
  // First close wins: a retried activity finds the row and the expiries already written.
  await tx.execute(
    `insert into billing_cycles (customer_id, start_at, end_at, plan_key, allowance_tokens, expired_tokens, uses, used_tokens, refunded_tokens, by_app)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (customer_id, start_at) do nothing`,
    [customerId, cycle.startAt, cycle.endAt, planKey, allowanceTokens, expiredTokens, closed.uses, closed.usedTokens, closed.refundedTokens, JSON.stringify(byApp)],
  );
  return closed;
}

export interface CycleChange {
  customerId: string;
  /** The read model after the change. */
  billing: BillingReadModel;
}

/**
 * Starts a subscription's first cycle: writes the read model, expires any allowance left from
 * before the subscription (a plan set without one, e.g. the demo brand's), and grants the plan's
 * allowance for the window, once.
 */
export async function openCycle(orm: MikroORM, redis: RedisClient, c: CycleChange & { cycle: CycleWindow }): Promise<OpenedCycle> {
  const drained: DebitEntry[] = [];
  const opened = await orm.em.fork().transactional(async (tx) => {
    await writeBillingState(tx, redis, c.customerId, c.billing, { ledgerMoves: true });
    drained.push(...(await drainStream(tx, redis, c.customerId)));
    await expireAllowances(tx, c.customerId, c.cycle.startAt);
    const allowanceTokens = await grantAllowance(tx, c.customerId, c.billing.planKey, c.cycle, allowanceRef(c.cycle));
    return { allowanceTokens, carriedTokens: await carriedTokens(tx, c.customerId, c.cycle.startAt) };
  });
  await trimDebits(redis, c.customerId, drained.map((e) => e.streamId));
  await publishBalance(orm, redis, c.customerId);
  return opened;
}

/**
 * An upgrade within the cycle: the allowance rises to the new plan's, minus what was used, by
 * granting the difference (expiring with the cycle), once per cycle and plan.
 */
export async function raiseAllowance(orm: MikroORM, redis: RedisClient, c: CycleChange & { cycle: CycleWindow; fromPlanKey: string | null }): Promise<{ allowanceTokens: number | null }> {
  const result = await orm.em.fork().transactional(async (tx) => {
    await writeBillingState(tx, redis, c.customerId, c.billing, { ledgerMoves: true });
    const to = c.billing.planKey === null ? 0 : await planAllowance(tx, c.billing.planKey);
    const from = c.fromPlanKey === null ? 0 : await planAllowance(tx, c.fromPlanKey);
    if (to === undefined || from === undefined) throw new Error(`unknown billing plan ${c.billing.planKey} or ${c.fromPlanKey}`);
    if (to === null) return { allowanceTokens: null };
    const delta = to - (from ?? 0);
    if (delta > 0) await grantAllowance(tx, c.customerId, c.billing.planKey, c.cycle, `${allowanceRef(c.cycle)}:upgrade:${c.billing.planKey}`, delta);
    return { allowanceTokens: to };
  });
  await publishBalance(orm, redis, c.customerId);
  return result;
}

/**
 * Ends `closing` and, unless the subscription ended, starts `opening`, in one transaction. The
 * cache is dropped and every debit still in Redis is written to the ledger first (expiry lowers
 * the balance, and "left over" must count every use once).
 */
export async function rollOverCycle(
  orm: MikroORM,
  redis: RedisClient,
  c: CycleChange & { closing: CycleWindow; closingPlanKey: string | null; closingAllowanceTokens: number | null; opening: CycleWindow | null },
): Promise<{ closed: ClosedCycle; opened: OpenedCycle | null }> {
  const drained: DebitEntry[] = [];
  const result = await orm.em.fork().transactional(async (tx) => {
    await writeBillingState(tx, redis, c.customerId, c.billing, { ledgerMoves: true });
    drained.push(...(await drainStream(tx, redis, c.customerId)));
    const closed = await closeInTx(tx, c.customerId, c.closing, c.closingPlanKey, c.closingAllowanceTokens);
    if (!c.opening) return { closed, opened: null };
    const allowanceTokens = await grantAllowance(tx, c.customerId, c.billing.planKey, c.opening, allowanceRef(c.opening));
    return { closed, opened: { allowanceTokens, carriedTokens: await carriedTokens(tx, c.customerId, c.opening.startAt) } };
  });
  await trimDebits(redis, c.customerId, drained.map((e) => e.streamId));
  await publishBalance(orm, redis, c.customerId);
  return result;
}

/** A status or plan change without ledger movement (past_due, suspended, a pending downgrade…). */
export async function saveBillingState(orm: MikroORM, redis: RedisClient, c: CycleChange): Promise<void> {
  await orm.em.fork().transactional((tx) => writeBillingState(tx, redis, c.customerId, c.billing, { ledgerMoves: false }));
  await publishBalance(orm, redis, c.customerId);
}
