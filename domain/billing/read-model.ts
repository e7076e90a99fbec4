// The billing read model (customer_billing), written only by the billing workflow through its
// activities. A write that changes the status or the plan drops the cached balance before
// COMMIT, under the customer's lock: either can lower what a debit may spend (suspension,
// leaving Enterprise), and no debit may pass against the old figure once the change is
// committed. Other fields (a pending downgrade, the cancel flag, thresholds) leave the cache be.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingStatus } from './vocabulary';
import type { RedisClient } from '../infra/redis';
import { lockCustomer } from '../metering/customer-lock';
import { invalidateBalance } from '../metering/scripts';

/** Plain JSON, as the workflow holds it. Times are ISO strings; a range end is exclusive. */
export interface BillingReadModel {
  planKey: string | null;
  pendingPlanKey: string | null;
  status: BillingStatus;
  stripeSubscriptionId: string | null;
  cycleStartAt: string | null;
  cycleEndAt: string | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: string | null;
  /** When a past_due brand is suspended (grace period plus any operator's extension); absent from callers before it existed. */
  suspendAt?: string | null;
  /** Usage alert thresholds in percent, ascending. */
  alertThresholds: number[];
}

const planId = `(select id from billing_plans where lookup_key = ?)`;

/**
 * Inside the caller's transaction: locks the customer, writes the row, and drops the cache if
 * the status or plan changed, or if the caller moves the ledger in the same transaction
 * (`ledgerMoves`: a grant or an expiry).
 */
export async function writeBillingState(tx: EntityManager, redis: RedisClient, customerId: string, b: BillingReadModel, opts: { ledgerMoves: boolean }): Promise<void> {
  await lockCustomer(tx, customerId);
  const [before] = await tx.execute<{ status: string; plan_key: string | null }[]>(
    'select b.status, p.lookup_key as plan_key from customer_billing b left join billing_plans p on p.id = b.plan_id where b.customer_id = ?',
    [customerId],
  );
  if (opts.ledgerMoves || !before || before.status !== b.status || before.plan_key !== b.planKey) await invalidateBalance(redis, customerId);
  await tx.execute(
    `insert into customer_billing (customer_id, plan_id, pending_plan_id, status, stripe_subscription_id, cycle_start_at, cycle_end_at, cancel_at_period_end, past_due_since, suspend_at, alert_thresholds, updated_at)
     values (?, ${planId}, ${planId}, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, now())
     on conflict (customer_id) do update set
       plan_id = excluded.plan_id, pending_plan_id = excluded.pending_plan_id, status = excluded.status,
       stripe_subscription_id = excluded.stripe_subscription_id, cycle_start_at = excluded.cycle_start_at,
       cycle_end_at = excluded.cycle_end_at, cancel_at_period_end = excluded.cancel_at_period_end,
       past_due_since = excluded.past_due_since, suspend_at = excluded.suspend_at, alert_thresholds = excluded.alert_thresholds, updated_at = now()`,
    [customerId, b.planKey, b.pendingPlanKey, b.status, b.stripeSubscriptionId, b.cycleStartAt, b.cycleEndAt, b.cancelAtPeriodEnd, b.pastDueSince, b.suspendAt ?? null, JSON.stringify(b.alertThresholds)],
  );
}

/** The allowance of a plan by lookup key: null is unlimited; undefined is no such plan. */
export async function planAllowance(tx: EntityManager, planKey: string): Promise<number | null | undefined> {
  const [row] = await tx.execute<{ allowance_tokens: string | null }[]>('select allowance_tokens from billing_plans where lookup_key = ?', [planKey]);
  if (!row) return undefined;
  return row.allowance_tokens === null ? null : Number(row.allowance_tokens);
}
