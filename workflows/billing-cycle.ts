// The customer's billing entity, id billing:<customerId>, task queue `billing`. It owns the
// plan, the status (active → past_due → suspended, or canceled), the current cycle and its
// allowance, the usage batches from the reconciler and the usage alerts. Stripe facts and
// brand requests arrive as the `billingMessage` update (update-with-start, id = idempotency
// key); usage batches and pack credits as signals. At each cycle end it closes the cycle,
// grants the next allowance, mails the summary and continues as new.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { searchAttributes } from '../temporal.config';
import { workflowNow } from './billing/clock';
import { describeBillingState } from './billing/describe';
import { billingMessageUpdate, cycleStateQuery, packCreditedSignal, usageBatchSignal, type BillingCycleInput, type BillingMessage, type BillingMessageResult } from './billing/messages';
import { validateBillingMessage } from './billing/validate';
import { applyPackCredit, applyUsageBatches, queueDueAlerts, upgradeState, type BillingCycleState } from './billing/state';
import { suspendAtMs } from './billing/rules';
import { BillingSteps } from './billing/steps';
import { autoTopUpBalance, queueAutoTopUp } from './billing/auto-top-up';



const sevenDaysMs = 7 * 24 * 3600 * 1000;
/** Marks runs started by the code with cycles, so histories recorded before it still replay. */
const cyclesPatch = 'billing-cycles-v2';
/** Marks the moment a run from before cycles was told to move to the current code. */
const legacyUpgradePatch = 'billing-legacy-upgrade';

export async function billingCycle(input: BillingCycleInput): Promise<void> {
  if (!patched(cyclesPatch)) return usageOnlyLoop(input);
  const state = upgradeState(input.carried ?? { customerId: input.customerId }, input.alertThresholds);
  const options = { cycleLengthMs: input.cycleLengthMs ?? null, gracePeriodMs: input.gracePeriodMs ?? sevenDaysMs };
  const keepSearchAttributes = searchAttributeKeeper();
  const changed = () => setCurrentDetails(describeBillingState(state));
  const steps = new BillingSteps(state, options, () => {
    keepSearchAttributes(state);
    changed();
  });

  setHandler(cycleStateQuery, () => state);
  setHandler(usageBatchSignal, (message) => {
    const before = autoTopUpBalance(state);
    applyUsageBatches(state, message);
    queueDueAlerts(state);
    queueAutoTopUp(state, before);
    changed();
  });
  setHandler(packCreditedSignal, (credit) => {
    applyPackCredit(state, credit);
    changed();
  });
  setHandler(
    billingMessageUpdate,
    async (message: BillingMessage): Promise<BillingMessageResult> => {
      const verdict = await steps.exclusive(() => steps.handle(message));
      changed();
      return { verdict, details: describeBillingState(state) };
    },
    { validator: validateBillingMessage },
  );

  keepSearchAttributes(state);
  changed();
  void steps.sendOutbox();
  for (;;) {
    const wakeAt = nextWakeMs(state, options.gracePeriodMs);
    const timeout = wakeAt === null ? undefined : Math.max(wakeAt - workflowNow(), 1);
    // Woken only when the deadline itself moves: a usage batch every second must not restart the timer.
    const woken = () => nextWakeMs(state, options.gracePeriodMs) !== wakeAt || workflowInfo().continueAsNewSuggested;
    if (timeout === undefined) await condition(woken);
    else await condition(woken, timeout, { summary: wakeSummary(state, options.gracePeriodMs) });

    const now = workflowNow();
    const suspendAt = suspendAtMs(state, options.gracePeriodMs);
    if (suspendAt !== null && now >= suspendAt) await steps.exclusive(() => steps.suspend());
    if (state.cycle && now >= Date.parse(state.cycle.endAt)) {
      await steps.exclusive(() => steps.rollOver());
      // Each cycle starts a fresh history, so a brand's workflow stays small for years.
      if (state.cycle) break;
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await condition(() => allHandlersFinished() && !steps.sending);
  await continueAsNew<typeof billingCycle>({ ...input, carried: state });
}

/** The next moment the workflow must act on its own: the cycle end or the end of the grace period. */
function nextWakeMs(state: BillingCycleState, gracePeriodMs: number): number | null {
  const times = [state.cycle ? Date.parse(state.cycle.endAt) : null, suspendAtMs(state, gracePeriodMs)].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

function wakeSummary(state: BillingCycleState, gracePeriodMs: number): string {
  const suspendAt = suspendAtMs(state, gracePeriodMs);
  if (suspendAt !== null && (!state.cycle || suspendAt < Date.parse(state.cycle.endAt))) return `grace period ends ${new Date(suspendAt).toISOString()}: suspend unless paid`;
  return `cycle ends ${state.cycle!.endAt}`;
}

/** Upserts PlanTier and BillingStatus when they differ from what the run last wrote. */
function searchAttributeKeeper(): (state: BillingCycleState) => void {
  let written = '';
  return (state) => {
    const planTier = state.plan ?? 'none';
    const billingStatus = state.status ?? 'none';
    if (`${planTier}/${billingStatus}` === written) return;
    written = `${planTier}/${billingStatus}`;
    upsertSearchAttributes([
      { key: searchAttributes.customerId, value: state.customerId },
      { key: searchAttributes.planTier, value: planTier },
      { key: searchAttributes.billingStatus, value: billingStatus },
    ]);
  };
}

/**
 * Runs that started before cycles existed (their histories have no patch marker) only collect
 * usage. The first message or signal such a run receives after this code is deployed moves it to
 * the current code by continuing as new (a patch marker keeps old histories replaying); a
 * billingMessage that arrives there fails with BILLING_WORKFLOW_UPGRADING, and its sender sends
 * it again to the new run.
 */
async function usageOnlyLoop(input: BillingCycleInput): Promise<void> {
  const state = upgradeState(input.carried ?? { customerId: input.customerId });
  let upgrade = false;
  const upgradeOnNewMessage = () => {
    if (patched(legacyUpgradePatch)) upgrade = true;
  };
  setHandler(usageBatchSignal, (message) => {
    applyUsageBatches(state, message);
    setCurrentDetails(describeBillingState(state));
    upgradeOnNewMessage();
  });
  setHandler(packCreditedSignal, (credit) => {
    applyPackCredit(state, credit);
    setCurrentDetails(describeBillingState(state));
    upgradeOnNewMessage();
  });
  setHandler(billingMessageUpdate, () => {
    upgradeOnNewMessage();
    throw ApplicationFailure.create({ type: 'BILLING_WORKFLOW_UPGRADING', message: 'the billing workflow is moving to its current version; send the message again', nonRetryable: false });
  });
  setHandler(cycleStateQuery, () => state);
  setCurrentDetails(describeBillingState(state));
  await condition(() => workflowInfo().continueAsNewSuggested || upgrade);
  await condition(allHandlersFinished);
  await continueAsNew<typeof billingCycle>({ ...input, carried: state });
}
