// Auto top-up in the billing workflow (behind the `billing-auto-top-up` patch): the brand's
// threshold arrives as an `auto-top-up` request; each usage batch that takes the balance from at
// or above it to below queues one purchase in the outbox; the outbox starts it through
// `startAutoTopUp`, which checks the stored settings and the month's cap and starts an
// off-session tokenPackPurchase. Only a crossing while enabled ever reaches an activity, so
// histories from before the patch never call patched() and replay unchanged.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityPresets } from '../../temporal.config';
import type { BillingRequest, BillingVerdict } from './messages';
import { availableThisCycle, type BillingCycleState } from './state';
import { crossedBelow, triggerKeyOf, type AutoTopUpItem } from './auto-top-up-rules';

const autoTopUpPatch = 'billing-auto-top-up';

/** Starting a purchase: our database and Temporal. Bounded, so one stuck start cannot hold the outbox for a day. */
const { startAutoTopUp } = proxyActivities<Activities>({ ...activityPresets.local, scheduleToCloseTimeout: '1 hour' });

/** The balance as the workflow knows it: the cycle's available tokens less its reconciled usage; null while unknown or unlimited. */
export function autoTopUpBalance(state: BillingCycleState): number | null {
  const available = availableThisCycle(state);
  return available === null ? null : available - state.usage.tokens;
}

/** After a usage batch: queues one purchase if the batch crossed the threshold. `before` is the balance before it. */
export function queueAutoTopUp(state: BillingCycleState, before: number | null): void {
  const watch = state.autoTopUp;
  if (!watch?.enabled || !state.cycle) return;
  const after = autoTopUpBalance(state);
  if (!crossedBelow(before, after, watch.thresholdTokens) || !patched(autoTopUpPatch)) return;
  watch.crossings += 1;
  state.outbox.push({ kind: 'auto-top-up', triggerKey: triggerKeyOf(state.cycle.startAt, state.lastAppliedSeq), balanceTokens: after!, thresholdTokens: watch.thresholdTokens });
}

/** The brand turned auto top-up on (with its threshold) or off. */
export function applyAutoTopUpRequest(state: BillingCycleState, r: Extract<BillingRequest, { kind: 'auto-top-up' }>): BillingVerdict {
  patched(autoTopUpPatch);
  const crossings = state.autoTopUp?.crossings ?? 0;
  state.autoTopUp = r.enabled && r.thresholdTokens !== null ? { enabled: true, thresholdTokens: r.thresholdTokens, crossings } : { enabled: false, thresholdTokens: state.autoTopUp?.thresholdTokens ?? 0, crossings };
  return { outcome: 'auto-top-up-set' };
}

/** The outbox step: whatever the activity decides (bought, capped, turned off meanwhile), the crossing is spent. */
export async function sendAutoTopUp(customerId: string, item: AutoTopUpItem): Promise<void> {
  await startAutoTopUp.executeWithOptions({ summary: `Auto top-up: balance ${item.balanceTokens} fell below ${item.thresholdTokens}` }, [{ customerId, triggerKey: item.triggerKey, balanceTokens: item.balanceTokens, thresholdTokens: item.thresholdTokens }]);
}
