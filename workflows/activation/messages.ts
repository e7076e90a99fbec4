// What crosses the boundary of the appActivation workflow: its input and result, the request
// signal and the state query. Imported by the workflow and by its callers (clients/), so a
// caller never pulls in workflow code, and the workflow never depends on a caller.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AuditActor } from '../../domain/audit/actor';

/** The workflow's registered type name; histories and callers name it. */
export const appActivationWorkflowType = 'appActivation';

export type ActivationAction = 'activate' | 'deactivate';

export interface AppActivationInput {
  customerId: string;
  slug: string;
  action: ActivationAction;
  /** Who asked, for the audit entries the run writes. Optional: runs started before it was carried have none (and audit as system). */
  actor?: AuditActor;
}

/** What each activity of the run is told: the app, and who asked for what it does now. */
export interface ActivationRef {
  customerId: string;
  slug: string;
  actor?: AuditActor;
}

export interface AppActivationResult {
  status: 'active' | 'inactive' | 'failed';
  /** The failure's message, when failed; also stored as customer_apps.failure_reason. */
  reason?: string;
}

export type AppActivationWorkflow = (input: AppActivationInput) => Promise<AppActivationResult>;

/**
 * Where the run is, for programs (the portal's step list): the activation's four steps, then
 * `finishing` (marking it active, telling the brand) and `active`; `compensating` and `failed`
 * after a failure (`failedStep` says which); `deactivating` and `inactive` for a deactivation.
 */
export type ActivationStepKey =
  | 'starting'
  | 'entitlement'
  | 'provisioning'
  | 'configuration'
  | 'widget_key'
  | 'finishing'
  | 'active'
  | 'compensating'
  | 'failed'
  | 'deactivating'
  | 'inactive';

/** The activation's own steps, in order, as the step list shows them. */
export type ActivationStepName = 'entitlement' | 'provisioning' | 'configuration' | 'widget_key';

export interface ActivationState {
  customerId: string;
  slug: string;
  /** The latest action asked for. */
  target: ActivationAction;
  /** What the run is doing now, in plain words. */
  step: string;
  /** The same, as a key. Queries are not in the history, so adding it changed no replay. */
  stepKey: ActivationStepKey;
  /** The step whose failure failed the last activation; null otherwise. */
  failedStep: ActivationStepName | null;
  /** The outcome of the last action finished in this run, null before the first. */
  last: AppActivationResult | null;
}

/** `actor` is optional for the same reason as in the input. */
export const activationRequestSignal = defineSignal<[{ action: ActivationAction; actor?: AuditActor }]>('activationRequest');
export const activationStateQuery = defineQuery<ActivationState>('activationState');
