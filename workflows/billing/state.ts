// The billing workflow's state and the pure rules that change it. No I/O here: the workflow
// applies a rule, then carries out the effects the rule returns through activities. Plain
// JSON throughout, because the state is carried over continue-as-new.

import type { AppUsageTotals, BillingStatus, PlanKey, UsageAlert, UsageBatch } from '../../domain/billing/vocabulary';

export interface UsageBatchMessage {
  /** In sequence order. A batch at or below the last applied number is a resend and is skipped. */
  batches: UsageBatch[];
}

export interface PackCredit {
  purchaseId: string;
  tokens: number;
}

export interface Cycle {
  /** 1 for the brand's first cycle. */
  number: number;
  startAt: string;
  /** End exclusive. */
  endAt: string;
  /** Plan allowance granted for this cycle, upgrades included; null is unlimited. */
  allowanceTokens: number | null;
  /** Pack and adjustment tokens usable when the cycle started. */
  carriedTokens: number;
}

export interface BillingCycleState {
  customerId: string;
  plan: PlanKey | null;
  /** A downgrade that takes effect at the period end. */
  pendingPlan: PlanKey | null;
  /** Null until the brand first subscribes. */
  status: BillingStatus | null;
  subscriptionId: string | null;
  cancelAtPeriodEnd: boolean;
  /** The newest subscription version applied: older ones are stale and ignored. */
  subscriptionObservedAtMs: number;
  /** Subscriptions Stripe has ended: nothing said about them later revives them. */
  endedSubscriptionIds: string[];
  pastDueSince: string | null;
  /** Added by operators to the current grace period (extend-grace); 0 once it is over. */
  graceExtensionMs: number;
  /** Suspended by an operator: only an operator resumes it (a paid invoice does not). */
  operatorSuspended: boolean;
  /** The subscription checkout offered to the brand and not completed yet. */
  pendingCheckout: { sessionId: string; plan: PlanKey; createdAt: string } | null;
  /** Invoices whose failure is still open; paid ones are removed. */
  failedInvoiceIds: string[];
  /** The last invoices reported paid: a failure reported for one of them later is stale. */
  paidInvoiceIds: string[];
  cycle: Cycle | null;
  /** Day of month monthly cycles renew on (the first cycle's start day, UTC). */
  anchorDay: number;
  cyclesClosed: number;
  /** Percent of the cycle's available tokens; ascending. */
  alertThresholds: number[];
  /** Thresholds already alerted this cycle. */
  alertsSent: number[];
  /**
   * Notices decided and not sent yet, oldest first. Sent one by one apart from the billing steps,
   * so a mail outage never holds up a plan change or a Stripe event; carried over continue-as-new.
   */
  outbox: OutboxItem[];
  /**
   * The last messages applied and their verdicts: a redelivery, even after continue-as-new, gets
   * the first verdict again and changes nothing (within a run, Temporal does this by update id).
   */
  recentMessages: { id: string; verdict: unknown }[];
  // The cycle's usage as the reconciler reports it.
  lastAppliedSeq: number;
  usage: { uses: number; tokens: number; byApp: Record<string, AppUsageTotals> };
  batchesApplied: number;
  /** Resent batches ignored: harmless, shown so support can see the dedupe at work. */
  resendsIgnored: number;
  /** Times a batch number skipped ahead; should stay 0. */
  sequenceGaps: number;
  /** Token packs credited this cycle, once per purchase whatever the resends. */
  packCredits: PackCredit[];
  /** Operators' adjustments this cycle, net (credits minus take-backs): they move the usage alerts' base. */
  adjustedTokens: number;
}

export const recentMessageLimit = 200;

export function emptyBillingState(customerId: string, alertThresholds: number[] = [50, 80, 100]): BillingCycleState {
  return {
    customerId,
    plan: null,
    pendingPlan: null,
    status: null,
    subscriptionId: null,
    cancelAtPeriodEnd: false,
    subscriptionObservedAtMs: 0,
    endedSubscriptionIds: [],
    pastDueSince: null,
    graceExtensionMs: 0,
    operatorSuspended: false,
    pendingCheckout: null,
    failedInvoiceIds: [],
    paidInvoiceIds: [],
    cycle: null,
    anchorDay: 1,
    cyclesClosed: 0,
    alertThresholds: [...alertThresholds],
    alertsSent: [],
    outbox: [],
    recentMessages: [],
    lastAppliedSeq: 0,
    usage: { uses: 0, tokens: 0, byApp: {} },
    batchesApplied: 0,
    resendsIgnored: 0,
    sequenceGaps: 0,
    packCredits: [],
    adjustedTokens: 0,
  };
}

/** State carried from an older version of the workflow gains the fields it lacks. */
export function upgradeState(carried: Partial<BillingCycleState> & { customerId: string }, alertThresholds?: number[]): BillingCycleState {
  return { ...emptyBillingState(carried.customerId, alertThresholds), ...carried };
}

/** Remembers a message's verdict, keeping the last `recentMessageLimit`. */
export function rememberMessage(state: BillingCycleState, id: string, verdict: unknown): void {
  state.recentMessages.push({ id, verdict });
  if (state.recentMessages.length > recentMessageLimit) state.recentMessages.splice(0, state.recentMessages.length - recentMessageLimit);
}

export function rememberedVerdict(state: BillingCycleState, id: string): unknown {
  return state.recentMessages.find((m) => m.id === id)?.verdict;
}

export function applyPackCredit(state: BillingCycleState, credit: PackCredit): boolean {
  if (state.packCredits.some((c) => c.purchaseId === credit.purchaseId)) return false;
  state.packCredits.push({ purchaseId: credit.purchaseId, tokens: credit.tokens });
  return true;
}

export function applyUsageBatches(state: BillingCycleState, message: UsageBatchMessage): void {
  for (const batch of [...message.batches].sort((a, b) => a.seq - b.seq)) {
    if (batch.seq <= state.lastAppliedSeq) {
      state.resendsIgnored += 1;
      continue;
    }
    if (batch.seq > state.lastAppliedSeq + 1) state.sequenceGaps += 1;
    state.lastAppliedSeq = batch.seq;
    state.batchesApplied += 1;
    // A batch of debits made before this cycle started counts for the closed cycle (whose
    // totals come from the ledger), not towards this cycle's alerts.
    if (state.cycle && batch.lastDebitedAt < state.cycle.startAt) continue;
    state.usage.uses += batch.uses;
    state.usage.tokens += batch.tokens;
    for (const [slug, t] of Object.entries(batch.totals)) {
      const app = (state.usage.byApp[slug] ??= { uses: 0, tokens: 0 });
      app.uses += t.uses;
      app.tokens += t.tokens;
    }
  }
}

/** The cycle's available tokens: allowance, what packs held at its start, and packs bought since. Null is unlimited. */
export function availableThisCycle(state: BillingCycleState): number | null {
  if (!state.cycle || state.cycle.allowanceTokens === null) return null;
  // adjustedTokens is absent from state carried from before operator requests.
  return state.cycle.allowanceTokens + state.cycle.carriedTokens + state.packCredits.reduce((n, c) => n + c.tokens, 0) + (state.adjustedTokens ?? 0);
}

export type OutboxItem =
  | ({ kind: 'usage-alert' } & UsageAlert)
  | { kind: 'cycle-summary'; cycleStartAt: string; next: { startAt: string; endAt: string; planName: string } | null }
  | { kind: 'billing-notice'; notice: 'payment-failed' | 'suspended' | 'reactivated' | 'operator-suspended' | 'operator-resumed'; ref: string; graceEndsAt?: string }
  | { kind: 'adjustment-notice'; adjustmentId: string };

/**
 * Queues an alert for each threshold crossed and not yet alerted this cycle. A threshold is
 * marked when it is queued, so it fires at most once per cycle whatever the batches that follow.
 */
export function queueDueAlerts(state: BillingCycleState): void {
  const available = availableThisCycle(state);
  if (!state.cycle || available === null || available <= 0) return;
  for (const t of state.alertThresholds) {
    if (state.alertsSent.includes(t) || state.usage.tokens * 100 < t * available) continue;
    state.alertsSent.push(t);
    state.outbox.push({ kind: 'usage-alert', cycleStartAt: state.cycle.startAt, thresholdPercent: t, usedTokens: state.usage.tokens, availableTokens: available });
  }
}

/**
 * New thresholds from now on. Those the cycle's usage has already passed count as alerted: an
 * alert reports a crossing, not a level reached before the threshold existed.
 */
export function setAlertThresholds(state: BillingCycleState, thresholds: number[]): void {
  state.alertThresholds = [...new Set(thresholds)].sort((a, b) => a - b);
  const available = availableThisCycle(state);
  state.alertsSent = available && available > 0 ? state.alertThresholds.filter((t) => state.usage.tokens * 100 >= t * available) : [];
}

/** Starts the next cycle's counters; the totals of the closed one live in billing_cycles. */
export function resetCycleCounters(state: BillingCycleState): void {
  state.usage = { uses: 0, tokens: 0, byApp: {} };
  state.packCredits = [];
  state.adjustedTokens = 0;
  state.alertsSent = [];
}
