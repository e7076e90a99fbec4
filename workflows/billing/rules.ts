// How a Stripe fact or a brand's request changes the billing state. Each rule mutates the
// state and says what must happen in the world (the workflow runs those steps). Every rule is
// safe under redelivery and under any arrival order: a subscription version older than one
// applied is stale, an ended subscription stays ended, a failure of an invoice already paid
// is stale.
import { addMonth, planRank, type PlanKey, type SubscriptionSnapshot } from '../../domain/billing/vocabulary';
import type { BillingCycleState } from './state';

/** ISO times; end exclusive. */
export interface Window {
  startAt: string;
  endAt: string;
}

export type SubscriptionOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'started'; window: Window }
  | { kind: 'upgraded'; from: PlanKey | null; to: PlanKey }
  | { kind: 'downgrade-scheduled'; to: PlanKey }
  | { kind: 'ended' }
  | { kind: 'updated'; changes: string[] };

const endedStatuses = ['canceled', 'incomplete_expired'];
/** Not paid yet: the first invoice is open. The subscription starts with its first payment. */
const unpaidStatuses = ['incomplete'];

const live = (s: BillingCycleState) => s.subscriptionId !== null && s.status !== null && s.status !== 'canceled';

export function rememberEnded(state: BillingCycleState, subscriptionId: string): void {
  if (!state.endedSubscriptionIds.includes(subscriptionId)) state.endedSubscriptionIds.push(subscriptionId);
  if (state.endedSubscriptionIds.length > 50) state.endedSubscriptionIds.shift();
}

/**
 * Applies a version of the subscription. `nowMs` and `cycleLengthMs` (tests and demos) decide
 * the first window when the input fixes the cycle length; otherwise Stripe's period does.
 */
export function applySubscription(state: BillingCycleState, snap: SubscriptionSnapshot, nowMs: number, cycleLengthMs: number | null): SubscriptionOutcome {
  if (state.endedSubscriptionIds.includes(snap.subscriptionId)) return { kind: 'ignored', reason: `subscription ${snap.subscriptionId} has already ended` };
  if (snap.observedAtMs < state.subscriptionObservedAtMs) return { kind: 'ignored', reason: 'an older version of the subscription than one already applied' };
  if (live(state) && state.subscriptionId !== snap.subscriptionId) return { kind: 'ignored', reason: `another subscription (${state.subscriptionId}) is live` };
  if (endedStatuses.includes(snap.stripeStatus)) {
    rememberEnded(state, snap.subscriptionId);
    if (state.subscriptionId !== snap.subscriptionId || !live(state)) return { kind: 'ignored', reason: 'a subscription that never started here has ended' };
    state.subscriptionObservedAtMs = snap.observedAtMs;
    return { kind: 'ended' };
  }
  if (unpaidStatuses.includes(snap.stripeStatus)) return { kind: 'ignored', reason: 'the first invoice is not paid yet' };
  if (snap.plan === null) return { kind: 'ignored', reason: 'its price is none of our plans' };
  state.subscriptionObservedAtMs = snap.observedAtMs;

  if (!live(state)) {
    Object.assign(state, { subscriptionId: snap.subscriptionId, plan: snap.plan, pendingPlan: null, status: 'active', pastDueSince: null, failedInvoiceIds: [], cancelAtPeriodEnd: snap.cancelAtPeriodEnd });
    const window = cycleLengthMs
      ? { startAt: new Date(nowMs).toISOString(), endAt: new Date(nowMs + cycleLengthMs).toISOString() }
      : { startAt: snap.periodStartAt, endAt: snap.periodEndAt };
    return { kind: 'started', window };
  }

  const changes: string[] = [];
  if (state.cancelAtPeriodEnd !== snap.cancelAtPeriodEnd) {
    state.cancelAtPeriodEnd = snap.cancelAtPeriodEnd;
    changes.push(snap.cancelAtPeriodEnd ? 'cancels at the period end' : 'cancel withdrawn');
  }
  const step = planRank.indexOf(snap.plan) - planRank.indexOf(state.plan!);
  if (step > 0) {
    const from = state.plan;
    Object.assign(state, { plan: snap.plan, pendingPlan: null });
    return { kind: 'upgraded', from, to: snap.plan };
  }
  if (step < 0) {
    if (state.pendingPlan === snap.plan) return { kind: 'updated', changes };
    state.pendingPlan = snap.plan;
    return { kind: 'downgrade-scheduled', to: snap.plan };
  }
  if (state.pendingPlan !== null) {
    state.pendingPlan = null;
    changes.push('downgrade withdrawn');
  }
  // Stripe's period is the cycle unless the input fixed its length.
  if (!cycleLengthMs && state.cycle && snap.periodStartAt === state.cycle.startAt && snap.periodEndAt !== state.cycle.endAt && snap.periodEndAt > snap.periodStartAt) {
    state.cycle.endAt = snap.periodEndAt;
    changes.push(`cycle end aligned to ${snap.periodEndAt}`);
  }
  return { kind: 'updated', changes };
}

export type InvoiceOutcome = { kind: 'ignored'; reason: string } | { kind: 'past-due' } | { kind: 'reactivated' } | { kind: 'noted' };

export interface InvoiceFact {
  invoiceId: string;
  /** Stripe's current status of the invoice, when it could be read: `paid` makes a failure stale. */
  currentStatus: string | null;
}

/** invoice.payment_failed: active → past_due (the grace period starts); other failures are noted. */
export function applyPaymentFailed(state: BillingCycleState, fact: InvoiceFact, nowIso: string): InvoiceOutcome {
  if (fact.currentStatus === 'paid' || state.paidInvoiceIds.includes(fact.invoiceId)) return { kind: 'ignored', reason: `invoice ${fact.invoiceId} is paid already` };
  if (!live(state)) return { kind: 'ignored', reason: 'no live subscription' };
  if (!state.failedInvoiceIds.includes(fact.invoiceId)) state.failedInvoiceIds.push(fact.invoiceId);
  if (state.status !== 'active') return { kind: 'noted' };
  state.status = 'past_due';
  state.pastDueSince = nowIso;
  state.graceExtensionMs = 0;
  return { kind: 'past-due' };
}

/** invoice.paid: clears that invoice's failure; with none left open, the brand is active again. */
export function applyInvoicePaid(state: BillingCycleState, fact: InvoiceFact): InvoiceOutcome {
  if (!state.paidInvoiceIds.includes(fact.invoiceId)) state.paidInvoiceIds.push(fact.invoiceId);
  if (state.paidInvoiceIds.length > 50) state.paidInvoiceIds.shift();
  state.failedInvoiceIds = state.failedInvoiceIds.filter((id) => id !== fact.invoiceId);
  if (state.status !== 'past_due' && state.status !== 'suspended') return { kind: 'noted' };
  if (state.failedInvoiceIds.length > 0) return { kind: 'noted' };
  // An operator's suspension (fraud, abuse) is not lifted by a payment: an operator resumes it.
  if (state.operatorSuspended) return { kind: 'noted' };
  state.status = 'active';
  state.pastDueSince = null;
  state.graceExtensionMs = 0;
  return { kind: 'reactivated' };
}

/** When the grace period of a past_due brand runs out, with any operator's extension; null when it is not past_due. */
export function suspendAtMs(state: BillingCycleState, gracePeriodMs: number): number | null {
  if (state.status !== 'past_due' || !state.pastDueSince) return null;
  // Absent in state carried from before operator requests: no extension.
  return Date.parse(state.pastDueSince) + gracePeriodMs + (state.graceExtensionMs ?? 0);
}

/**
 * The next window after `w`: the input's fixed length, or one calendar month, as Stripe renews
 * monthly on the anchor day (the day of the first cycle's start), clamped to short months.
 */
export function nextWindow(w: Window, cycleLengthMs: number | null, anchorDay: number): Window {
  if (cycleLengthMs) return { startAt: w.endAt, endAt: new Date(Date.parse(w.endAt) + cycleLengthMs).toISOString() };
  return { startAt: w.endAt, endAt: addMonth(w.endAt, anchorDay) };
}
