// The billing vocabulary, in one place for every floor: the workflow, its activities, the
// webhook relay and the API all speak these words. It imports only the plan catalog, which
// imports nothing, so workflow code may import it and replay stays deterministic.
import { planCatalog, type PlanDefinition } from '../catalog/plans';

export type PlanKey = PlanDefinition['lookupKey'];

/** Cheapest first: a move to the right is an upgrade, and each plan includes every app of the plans before it. */
export const planRank = ['starter', 'professional', 'enterprise'] as const satisfies readonly PlanKey[];

export const planNames = Object.fromEntries(planCatalog.map((p) => [p.lookupKey, p.name])) as Record<PlanKey, string>;

export const isPlanKey = (v: unknown): v is PlanKey => typeof v === 'string' && (planRank as readonly string[]).includes(v);

export function planOfLookupKey(key: string | null | undefined): PlanKey | null {
  return isPlanKey(key) ? key : null;
}

/**
 * The failure type of a live-mode Stripe read that does not confirm what a signed event claims
 * (no such subscription, not one of our plans): the billing workflow ignores that event.
 */
export const stripeUnconfirmed = 'STRIPE_UNCONFIRMED';

export const billingStatuses = ['active', 'past_due', 'suspended', 'canceled'] as const;
export type BillingStatus = (typeof billingStatuses)[number];

/** Uses and tokens of one app within a batch or a cycle. */
export interface AppUsageTotals {
  uses: number;
  tokens: number;
}

/** One reconciliation pass over one customer's debits, numbered per customer from 1. Times ISO. */
export interface UsageBatch {
  seq: number;
  uses: number;
  tokens: number;
  /** Keyed by app slug. */
  totals: Record<string, AppUsageTotals>;
  firstDebitedAt: string;
  lastDebitedAt: string;
}

/** The Stripe subscription as we read it; times ISO, end exclusive. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  /** Stripe's status: active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused. */
  stripeStatus: string;
  /** Null when its price is none of our plans. */
  plan: PlanKey | null;
  periodStartAt: string;
  periodEndAt: string;
  cancelAtPeriodEnd: boolean;
  /** When Stripe produced this version (the event's `created`, in ms): a later version wins. */
  observedAtMs: number;
}

/** A usage threshold crossed within a cycle. */
export interface UsageAlert {
  cycleStartAt: string;
  thresholdPercent: number;
  usedTokens: number;
  availableTokens: number;
}

/** The same time one month after `at`, on `anchorDay` or the month's last day (Jan 31 → Feb 28 → Mar 31). */
export function addMonth(at: string, anchorDay: number): string {
  const t = new Date(at);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(anchorDay, lastDay), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds())).toISOString();
}
