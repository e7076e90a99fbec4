// The Temporal client for callers outside workflows (API, scripts), and the starts they use.
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../domain/infra/config';
import { queueName, searchAttributes, taskQueues, workflowIds } from '../temporal.config';
import type { AuditActor } from '../domain/audit/actor';
import { activationRequestSignal, appActivationWorkflowType, type ActivationAction, type AppActivationInput, type AppActivationWorkflow } from '../workflows/activation/messages';
import { onboardCustomerWorkflowType, type OnboardCustomerWorkflow } from '../workflows/onboarding/messages';
import { temporalConnectionOptions } from './temporal-connection';

export function createTemporalClient(config: Pick<Config, 'temporal'>): Client {
  // Lazy: callers start even if Temporal is not up yet; /health reports it.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** Starts onboarding once per customer; a second call is a no-op. */
export async function startOnboarding(client: Client, taskQueuePrefix: string, customerId: string): Promise<void> {
  try {
    await client.workflow.start<OnboardCustomerWorkflow>(onboardCustomerWorkflowType, {
      taskQueue: queueName(taskQueues.billing, taskQueuePrefix),
      workflowId: workflowIds.customerOnboarding(customerId),
      // A brand is onboarded once: a completed run is never repeated; only a failed one may run again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      args: [{ customerId }],
      typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: customerId }]),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Asks for an app's activation or deactivation. Signal-with-start: an open run for this brand
 * and app takes the request as its new target (no second run); otherwise a new run starts.
 * See workflows/app-activation.ts for why this never leaves a request stuck. The actor rides
 * along in both, so the run audits its steps for whoever asked.
 */
export async function requestActivation(client: Client, taskQueuePrefix: string, input: AppActivationInput & { actor: AuditActor }): Promise<{ workflowId: string; runId: string }> {
  const handle = await client.workflow.signalWithStart<AppActivationWorkflow, [{ action: ActivationAction; actor?: AuditActor }]>(appActivationWorkflowType, {
    taskQueue: queueName(taskQueues.activations, taskQueuePrefix),
    workflowId: workflowIds.activation(input.customerId, input.slug),
    args: [input],
    signal: activationRequestSignal,
    signalArgs: [{ action: input.action, actor: input.actor }],
    // A closed run (active, inactive or failed) never blocks the next request.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: input.customerId }]),
  });
  return { workflowId: handle.workflowId, runId: handle.signaledRunId };
}
