// The billing state in the words support reads in Temporal UI ("current details").
import { planNames } from '../../domain/billing/vocabulary';
import { availableThisCycle, type BillingCycleState } from './state';

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeBillingState(state: BillingCycleState): string {
  const parts: string[] = [];
  if (state.plan === null) parts.push(state.status === 'canceled' ? 'Canceled, no plan' : 'No plan yet');
  else parts.push(`${planNames[state.plan]}${state.status && state.status !== 'active' ? ` (${state.status.replace('_', ' ')})` : ''}`);
  const c = state.cycle;
  if (c) {
    parts.push(`cycle ${day(c.startAt)} → ${day(c.endAt)}`);
    const packTokens = state.packCredits.reduce((n, p) => n + p.tokens, 0) + c.carriedTokens;
    if (c.allowanceTokens === null) parts.push(`unlimited, ${grouped(state.usage.tokens)} tokens used`);
    else {
      const fromAllowance = Math.min(state.usage.tokens, c.allowanceTokens);
      parts.push(`${grouped(fromAllowance)} of ${grouped(c.allowanceTokens)} allowance used`);
      if (packTokens > 0) parts.push(`${grouped(packTokens)} pack tokens`);
      const available = availableThisCycle(state);
      if (available && state.alertsSent.length) parts.push(`alerted at ${state.alertsSent.map((t) => `${t}%`).join(', ')}`);
    }
  }
  if (state.pendingPlan) parts.push(`downgrades to ${planNames[state.pendingPlan]} at the period end`);
  if (state.cancelAtPeriodEnd) parts.push('cancels at the period end');
  if (state.pastDueSince) parts.push(`past due since ${state.pastDueSince.slice(0, 16).replace('T', ' ')} UTC`);
  if (state.graceExtensionMs) parts.push(`grace extended by ${plural(Math.round(state.graceExtensionMs / 86_400_000), 'day')}`);
  if (state.operatorSuspended && state.status === 'suspended') parts.push('suspended by an operator');
  if (state.packCredits.length) parts.push(`${plural(state.packCredits.length, 'token pack')} credited this cycle`);
  if (state.outbox.length) parts.push(`${plural(state.outbox.length, 'notice')} waiting to be sent`);
  const u = state.usage;
  return `${parts.join(', ')}; ${grouped(u.tokens)} tokens in ${grouped(u.uses)} uses of ${plural(Object.keys(u.byApp).length, 'app')}, usage batches applied through #${state.lastAppliedSeq}`;
}
