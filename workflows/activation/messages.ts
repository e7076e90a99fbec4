// What crosses the boundary of the appActivation workflow: its input and result, the request
// signal and the state query. Imported by the workflow and by its callers (clients/), so a
// caller never pulls in workflow code, and the workflow never depends on a caller.
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The workflow's registered type name; histories and callers name it. */
export const appActivationWorkflowType = 'appActivation';

export type ActivationAction = 'activate' | 'deactivate';

export interface AppActivationInput {
  customerId: string;
  slug: string;
  action: ActivationAction;
}

export interface AppActivationResult {
  status: 'active' | 'inactive' | 'failed';
  /** The failure's message, when failed; also stored as customer_apps.failure_reason. */
  reason?: string;
}

export type AppActivationWorkflow = (input: AppActivationInput) => Promise<AppActivationResult>;

export interface ActivationState {
  customerId: string;
  slug: string;
  /** The latest action asked for. */
  target: ActivationAction;
  /** What the run is doing now, in plain words. */
  step: string;
  /** The outcome of the last action finished in this run, null before the first. */
  last: AppActivationResult | null;
}

export const activationRequestSignal = defineSignal<[{ action: ActivationAction }]>('activationRequest');
export const activationStateQuery = defineQuery<ActivationState>('activationState');
