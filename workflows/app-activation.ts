// One brand's activation of one app, id activation:<customerId>:<slug>, task queue `activations`.
// It turns the app on (saga below) or off, then completes; it is not a long-lived entity.
//
// Concurrency. Both API routes call signalWithStart on the same workflow id, with the wanted
// action both as the start input and as `activationRequestSignal`:
// - no run open: a new run starts and performs the action (closed runs never block a new one);
// - a run open: no second run starts; the signal records the latest wanted action as the run's
//   target. The run finishes the step sequence it is in (a half-done saga is never abandoned),
//   then, if the target changed meanwhile, performs the other action, until the last action it
//   performed is the target. So activate twice = one run; deactivate during an activation =
//   the activation completes, then the same run deactivates (or, if it came before the first
//   step, the run only deactivates); activate during a deactivation = the reverse. A signal arriving as the run completes makes Temporal retry the final
//   workflow task with the signal in view, so no request is lost and nothing is left stuck.
//
// Activation: checkEntitlement → provisionApp → storeDefaultConfiguration → ensureWidgetKey →
// markActivation(active) → notifyActivation. A failure before `active` runs the compensations
// of the steps begun, newest first (revoke widget access, deprovision), marks the app `failed`
// with the failure's message and completes with { status: 'failed', reason }: a business
// outcome, not a workflow failure.
// Deactivation: markActivation(deactivating) → revokeWidgetAccess → markActivation(inactive).
// The configuration and the provisioning are kept, so a reactivation restores both.
import {
  ActivityFailure,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import {
  activationRequestSignal,
  activationStateQuery,
  type ActivationAction,
  type ActivationRef,
  type ActivationStepKey,
  type ActivationStepName,
  type ActivationState,
  type AppActivationInput,
  type AppActivationResult,
} from './activation/messages';

/** Business failures: retrying them cannot help. */
const nonRetryableErrorTypes = ['PLAN_UPGRADE_REQUIRED', 'UNKNOWN_APP', 'NOT_FOUND'];

const { checkEntitlement, storeDefaultConfiguration, ensureWidgetKey, revokeWidgetAccess, markActivation, deprovisionApp } = proxyActivities<Activities>({
  ...activityPresets.local,
  retry: { ...activityPresets.local.retry, nonRetryableErrorTypes },
});

// The AI service: a service still failing after five tries fails the activation (and compensates).
const { provisionApp } = proxyActivities<Activities>({
  ...activityPresets.external,
  retry: { ...activityPresets.external.retry, maximumAttempts: 5, nonRetryableErrorTypes },
});

const { notifyActivation } = proxyActivities<Activities>(activityPresets.notify);

function reasonOf(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

export async function appActivation(input: AppActivationInput): Promise<AppActivationResult> {
  // The actor travels with the target: an action's steps are audited for whoever asked for it,
  // as it stood when the action began.
  let requestedBy = input.actor;
  let ref: ActivationRef = { customerId: input.customerId, slug: input.slug, actor: requestedBy };
  const state: ActivationState = { customerId: input.customerId, slug: input.slug, target: input.action, step: 'starting', stepKey: 'starting', failedStep: null, last: null };
  setHandler(activationRequestSignal, ({ action, actor }) => {
    state.target = action;
    requestedBy = actor ?? requestedBy;
  });
  setHandler(activationStateQuery, () => state);

  const step = (words: string, key: ActivationStepKey) => {
    state.step = words;
    state.stepKey = key;
    setCurrentDetails(`${input.slug} for brand ${input.customerId}: ${words}`);
  };

  async function activate(afterDeactivation: boolean): Promise<AppActivationResult> {
    // The API marked the first request `activating`; one that follows a deactivation in this run is marked here.
    if (afterDeactivation) await markActivation({ ...ref, status: 'activating' });
    const compensations: { words: string; run: () => Promise<unknown> }[] = [];
    let activatedAt: string | null;
    // The step under way when a failure came, for the step list; set only on the activation's own steps.
    let current: ActivationStepName = 'entitlement';
    const begin = (words: string, key: ActivationStepName) => {
      current = key;
      step(words, key);
    };
    state.failedStep = null;
    try {
      begin('checking that the plan includes the app', 'entitlement');
      await checkEntitlement(ref);
      // Registered before the call: a provisioning that failed half-way is undone too.
      compensations.unshift({ words: 'deprovisioning the app', run: () => deprovisionApp(ref) });
      begin('provisioning the app with its AI service', 'provisioning');
      await provisionApp(ref);
      begin('storing the default configuration, unless the brand has one', 'configuration');
      await storeDefaultConfiguration(ref);
      compensations.unshift({ words: 'revoking widget access', run: () => revokeWidgetAccess(ref) });
      begin('giving the widget key access to the app', 'widget_key');
      await ensureWidgetKey(ref);
      step('marking the app active', 'finishing');
      ({ activatedAt } = await markActivation({ ...ref, status: 'active' }));
    } catch (err) {
      if (isCancellation(err)) throw err;
      const reason = reasonOf(err);
      state.failedStep = current;
      for (const c of compensations) {
        step(`activation failed (${reason}); ${c.words}`, 'compensating');
        try {
          await c.run();
        } catch (compensationError) {
          if (isCancellation(compensationError)) throw compensationError;
          log.error('activation compensation failed', { step: c.words, error: reasonOf(compensationError) });
        }
      }
      await markActivation({ ...ref, status: 'failed', reason });
      step(`activation failed: ${reason}`, 'failed');
      return { status: 'failed', reason };
    }
    if (activatedAt) {
      step('telling the brand in the portal', 'finishing');
      await notifyActivation({ ...ref, activatedAt });
    }
    step('active', 'active');
    return { status: 'active' };
  }

  async function deactivate(): Promise<AppActivationResult> {
    step('marking the app deactivating', 'deactivating');
    await markActivation({ ...ref, status: 'deactivating' });
    step('removing the app from the widget key', 'deactivating');
    await revokeWidgetAccess(ref);
    await markActivation({ ...ref, status: 'inactive' });
    step('inactive; configuration kept for a reactivation', 'inactive');
    return { status: 'inactive' };
  }

  let done: ActivationAction | null = null;
  let result: AppActivationResult = { status: 'inactive' };
  while (done !== state.target) {
    const action: ActivationAction = state.target;
    ref = { ...ref, actor: requestedBy };
    result = action === 'activate' ? await activate(done === 'deactivate') : await deactivate();
    state.last = result;
    done = action;
  }
  return result;
}
