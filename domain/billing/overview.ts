// What a brand's billing page shows: its plan and cycle from the billing read model, and its
// token figures from the ledger (never from the Redis cache, which may run ahead of it).
import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerBilling } from '../entities';
import type { BillingStatus } from './vocabulary';
import type { Currency } from '../units';
import { availableTokens, ledgerBalance, type GrantBalance } from '../metering/ledger-balance';

export interface BillingOverview {
  plan: { lookupKey: string; name: string; allowanceTokens: number | null; priceCents: number; currency: Currency } | null;
  /** Null: the brand has never subscribed (no billing row yet). */
  status: BillingStatus | null;
  /** End exclusive. */
  cycle: { startAt: Date; endAt: Date } | null;
  cancelAtPeriodEnd: boolean;
  /** A downgrade taking effect at the cycle end. */
  pendingPlan: { lookupKey: string; name: string } | null;
  /** When the failed payment made the brand past_due; suspension follows after the grace period. */
  pastDueSince: Date | null;
  /** Usage alert thresholds in percent. */
  alertThresholds: number[];
  /** This cycle's plan allowance; null is unlimited. */
  allowanceTokens: number | null;
  usedAllowanceTokens: number;
  packTokens: number;
  /** Usable now; null is unlimited. */
  remainingTokens: number | null;
  /** Debits past the balance are refused (402 INSUFFICIENT_TOKENS); there is no overage billing. */
  overagePolicy: 'block';
}

const sum = (grants: GrantBalance[], f: (g: GrantBalance) => number) => grants.reduce((total, g) => total + f(g), 0);
const remaining = (g: GrantBalance) => Math.max(0, g.remainingTokens);

export async function billingOverview(em: EntityManager, customerId: string, now: Date, defaultAlertThresholds: number[]): Promise<BillingOverview> {
  const billing = await em.findOne(CustomerBilling, { customer: customerId }, { populate: ['plan', 'pendingPlan'] });
  const ledger = await ledgerBalance(em, customerId, now);
  // Grants not yet effective (next cycle's allowance granted early) do not count yet.
  const current = ledger.grants.filter((g) => g.effectiveAt <= now);
  const allowance = current.filter((g) => g.source === 'plan_allowance');
  const packs = current.filter((g) => g.source === 'token_pack');
  const plan = billing?.plan;
  return {
    plan: plan
      ? { lookupKey: plan.lookupKey, name: plan.name, allowanceTokens: plan.allowanceTokens, priceCents: plan.priceCents, currency: plan.currency }
      : null,
    status: billing?.status ?? null,
    cycle: billing?.cycleStartAt && billing.cycleEndAt ? { startAt: billing.cycleStartAt, endAt: billing.cycleEndAt } : null,
    cancelAtPeriodEnd: billing?.cancelAtPeriodEnd ?? false,
    pendingPlan: billing?.pendingPlan ? { lookupKey: billing.pendingPlan.lookupKey, name: billing.pendingPlan.name } : null,
    pastDueSince: billing?.pastDueSince ?? null,
    alertThresholds: billing?.alertThresholds ?? defaultAlertThresholds,
    allowanceTokens: ledger.unlimited ? null : sum(allowance, (g) => g.grantedTokens),
    usedAllowanceTokens: sum(allowance, (g) => g.grantedTokens - remaining(g)),
    packTokens: sum(packs, remaining),
    remainingTokens: availableTokens(ledger, now),
    overagePolicy: 'block',
  };
}
