// The activation's progress as the app page shows it: four steps, each pending, running, done or
// failed. Derived from the appActivation workflow's state query while a run is open, and from the
// customer_apps row when there is no run to ask (closed, or Temporal unreachable). Pure, so both
// sources are unit-tested the same way (test/domain/activation-progress.test.ts).
import type { ActivationStatus } from '../entities/customer-app';

export const activationSteps = [
  { key: 'entitlement', label: 'Check that the plan includes the app' },
  { key: 'provisioning', label: 'Provision the app with its AI service' },
  { key: 'configuration', label: 'Store the default configuration' },
  { key: 'widget_key', label: 'Give the widget key access to the app' },
] as const;

export type ActivationStepName = (typeof activationSteps)[number]['key'];
export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface ActivationStep {
  key: ActivationStepName;
  label: string;
  state: StepState;
}

/** What the workflow's state query says, narrowed to what the steps need (the query's own type lives with the workflow). */
export interface RunPosition {
  /** The run's `stepKey`. */
  stepKey: string;
  failedStep: string | null;
  /** The run's latest wanted action. */
  target: 'activate' | 'deactivate';
}

const indexOf = (key: string | null) => activationSteps.findIndex((s) => s.key === key);

/** Steps before `at` done, `at` in state `here`, the rest pending; `at` = -1 leaves all pending, 4 makes all done. */
function stepsAt(at: number, here: StepState): ActivationStep[] {
  return activationSteps.map((s, i) => ({ ...s, state: i < at ? 'done' : i === at ? here : 'pending' }));
}

const allDone = () => stepsAt(activationSteps.length, 'done');
const allPending = () => stepsAt(-1, 'pending');

/** From an open (or just closed) run's position. */
export function stepsFromRun(run: RunPosition): ActivationStep[] {
  switch (run.stepKey) {
    case 'finishing':
    case 'active':
      return allDone();
    case 'compensating':
    case 'failed':
      return stepsAt(Math.max(indexOf(run.failedStep), 0), 'failed');
    case 'starting':
      // Signalled, not yet begun: the first step is next.
      return run.target === 'activate' ? stepsAt(0, 'running') : allPending();
    default: {
      const at = indexOf(run.stepKey);
      // A deactivation's keys: the activation's steps do not apply.
      return at < 0 ? allPending() : stepsAt(at, 'running');
    }
  }
}

/**
 * From the row alone: active is every step done; failed is the row's reason with no step known
 * to have passed (the failing step is unknown without the run); activating is the first step
 * under way (the run has not answered yet); anything else is nothing begun.
 */
export function stepsFromStatus(status: ActivationStatus): ActivationStep[] {
  switch (status) {
    case 'active':
      return allDone();
    case 'activating':
      return stepsAt(0, 'running');
    default:
      return allPending();
  }
}
