// A VARAi operator's money operations on a brand's billing workflow: goodwill adjustments,
// a longer grace period, suspension and resumption by hand. The rules are pure (unit-tested);
// `applyOperatorRequest` carries them out as a step of the workflow, so they take turns with
// plan changes and the cycle timer, and each is in the brand's billing history.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityPresets } from '../../temporal.config';
import type { BillingVerdict, OperatorRequest } from './messages';
import { suspendAtMs } from './rules';
import type { BillingCycleState } from './state';

/** Marks the histories that took an operator request; code paths older histories never reach. */
export const operatorRequestsPatch = 'billing-operator-requests';

const dayMs = 24 * 3600 * 1000;

const ledger = proxyActivities<Activities>({ ...activityPresets.local, retry: { ...activityPresets.local.retry, nonRetryableErrorTypes: ['NOT_FOUND'] } });

type Refusal = Extract<BillingVerdict, { outcome: 'refused' }>;
const refused = (code: Refusal['code'], reason: string, field?: string): Refusal => ({ outcome: 'refused', code, reason, ...(field ? { field } : {}) });

/**
 * When a credit expires: the cycle end if asked and there is a cycle, else never. A refusal when
 * asked without a cycle (no subscription: nothing ends), or for an unlimited plan, where tokens
 * change nothing (Enterprise: credits and take-backs alike are refused, so the ledger never
 * carries tokens that mean nothing).
 */
export function adjustmentExpiry(state: BillingCycleState, r: { tokens: number; expiresAtCycleEnd: boolean }): { expiresAt: string | null } | Refusal {
  if (state.cycle && state.cycle.allowanceTokens === null) return refused('ADJUSTMENT_NOT_APPLICABLE', 'The brand’s plan is unlimited: tokens would change nothing.', 'body.tokens');
  if (!r.expiresAtCycleEnd || r.tokens < 0) return { expiresAt: null };
  if (!state.cycle) return refused('ADJUSTMENT_NOT_APPLICABLE', 'The brand has no billing cycle for the credit to expire with.', 'body.expiresAtCycleEnd');
  return { expiresAt: state.cycle.endAt };
}

/** Moves the suspension of a past_due brand `days` later; anything else is refused. */
export function extendGrace(state: BillingCycleState, days: number, gracePeriodMs: number): { suspendAtMs: number } | Refusal {
  if (state.status !== 'past_due') return refused('BILLING_CHANGE_REFUSED', `Only a past-due brand has a grace period to extend (this one is ${state.status ?? 'not subscribed'}).`);
  state.graceExtensionMs = (state.graceExtensionMs ?? 0) + days * dayMs;
  return { suspendAtMs: suspendAtMs(state, gracePeriodMs)! };
}

/**
 * Suspends a brand with a subscription (active or past_due), or resumes one that is suspended
 * (by an operator or by the grace period's end). Resumed, the brand is active: an invoice still
 * unpaid is left to Stripe's retries, and its next failure starts a new grace period. A request
 * that is already in force changes nothing (`changed` false).
 */
export function setSuspension(state: BillingCycleState, suspend: boolean): { changed: boolean } | Refusal {
  if (suspend) {
    if (state.status === 'suspended') {
      state.operatorSuspended = true;
      return { changed: false };
    }
    if (state.status !== 'active' && state.status !== 'past_due') return refused('BILLING_CHANGE_REFUSED', `Only a brand with a subscription can be suspended (this one is ${state.status ?? 'not subscribed'}).`);
    Object.assign(state, { status: 'suspended', operatorSuspended: true });
    return { changed: true };
  }
  if (state.status !== 'suspended') return { changed: false };
  Object.assign(state, { status: 'active', operatorSuspended: false, pastDueSince: null, graceExtensionMs: 0 });
  return { changed: true };
}

export interface OperatorStepContext {
  state: BillingCycleState;
  gracePeriodMs: number;
  /** Writes the read model (status, suspendAt) and drops the cached balance on a status change. */
  save(): Promise<void>;
}

export async function applyOperatorRequest(ctx: OperatorStepContext, r: OperatorRequest, messageId: string): Promise<BillingVerdict> {
  patched(operatorRequestsPatch);
  const s = ctx.state;
  switch (r.kind) {
    case 'adjustment': {
      const expiry = adjustmentExpiry(s, r);
      if ('outcome' in expiry) return expiry;
      const result = await ledger.applyTokenAdjustment.executeWithOptions(
        { summary: `${r.tokens > 0 ? 'Credit' : 'Take back'} ${Math.abs(r.tokens)} tokens (${r.reasonCode})` },
        [{ customerId: s.customerId, messageId, tokens: r.tokens, reasonCode: r.reasonCode, note: r.note, expiresAt: expiry.expiresAt, actorId: r.actorId }],
      );
      if (result.outcome === 'unlimited') return refused('ADJUSTMENT_NOT_APPLICABLE', 'The brand’s plan is unlimited: tokens would change nothing.', 'body.tokens');
      if (result.outcome === 'cycle-ended') return refused('ADJUSTMENT_NOT_APPLICABLE', 'The cycle has just ended: send the credit again, with a new Idempotency-Key, to expire with the next one.', 'body.expiresAtCycleEnd');
      if (result.outcome === 'exceeds-balance') return refused('ADJUSTMENT_EXCEEDS_BALANCE', `The brand's grants hold ${result.availableTokens} tokens; a take-back cannot drive a grant below zero.`, 'body.tokens');
      // The cycle's alert base follows (a credit is usable this cycle; a take-back is not any more).
      if (s.cycle) s.adjustedTokens = (s.adjustedTokens ?? 0) + result.adjustment.tokens;
      s.outbox.push({ kind: 'adjustment-notice', adjustmentId: result.adjustment.adjustmentId });
      const { adjustmentId, tokens, reasonCode, note, expiresAt } = result.adjustment;
      return { outcome: 'adjusted', adjustment: { adjustmentId, tokens, reasonCode, note, expiresAt, balance: result.balance } };
    }
    case 'extend-grace': {
      const extended = extendGrace(s, r.days, ctx.gracePeriodMs);
      if ('outcome' in extended) return extended;
      await ctx.save();
      return { outcome: 'grace-extended', suspendAt: new Date(extended.suspendAtMs).toISOString() };
    }
    case 'suspend':
    case 'unsuspend': {
      const suspend = r.kind === 'suspend';
      const set = setSuspension(s, suspend);
      if ('outcome' in set) return set;
      if (set.changed) {
        await ctx.save();
        s.outbox.push({ kind: 'billing-notice', notice: suspend ? 'operator-suspended' : 'operator-resumed', ref: messageId });
      }
      return { outcome: 'status-set', status: s.status! };
    }
  }
}

/** The read model's suspendAt (ISO), from the same rule the workflow's timer follows. */
export function suspendAtIso(state: BillingCycleState, gracePeriodMs: number): string | null {
  const at = suspendAtMs(state, gracePeriodMs);
  return at === null ? null : new Date(at).toISOString();
}
