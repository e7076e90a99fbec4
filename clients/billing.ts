// Temporal calls into a brand's billing workflow from outside workflows (the API, the Stripe
// event hand-over, the reconciler). Messages go by update-with-start: the first one starts the
// workflow, and a workflow that has closed (terminated by support) is never silently restarted.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../domain/infra/config';
import { queueName, searchAttributes, taskQueues, workflowIds } from '../temporal.config';
import type { UsageBatch } from '../domain/billing/vocabulary';
import { billingCycleWorkflowType, billingMessageUpdate, usageBatchSignal, type BillingCycleInput, type BillingCycleWorkflow, type BillingMessage, type BillingMessageResult } from '../workflows/billing/messages';

export type BillingStartConfig = Pick<Config, 'billing'> & { temporal: Pick<Config['temporal'], 'taskQueuePrefix'> };

/** The input of a new billing workflow: the deployment's cycle length, grace period and alert thresholds. */
export function billingStartInput(config: BillingStartConfig, customerId: string): BillingCycleInput {
  return { customerId, cycleLengthMs: config.billing.cycleLengthMs, gracePeriodMs: config.billing.gracePeriodMs, alertThresholds: config.billing.alertThresholds };
}

/** How every caller starts the workflow, so a signal and an update racing to start it agree. */
export function billingStartOptions(config: BillingStartConfig, customerId: string) {
  return {
    workflowId: workflowIds.billing(customerId),
    taskQueue: queueName(taskQueues.billing, config.temporal.taskQueuePrefix),
    args: [billingStartInput(config, customerId)] as [BillingCycleInput],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: searchAttributes.customerId, value: customerId },
      { key: searchAttributes.planTier, value: 'none' },
      { key: searchAttributes.billingStatus, value: 'none' },
    ]),
  };
}

function startOperation(config: BillingStartConfig, customerId: string) {
  return new WithStartWorkflowOperation<BillingCycleWorkflow>(billingCycleWorkflowType, { ...billingStartOptions(config, customerId), workflowIdConflictPolicy: 'USE_EXISTING' });
}

/** A run from before cycles refuses a message once while it moves to the current code. */
const upgrading = (err: unknown) => err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'BILLING_WORKFLOW_UPGRADING';

/** Sends a message and waits for the workflow's verdict. */
export async function sendBillingMessage(client: Client, config: BillingStartConfig, customerId: string, message: BillingMessage): Promise<BillingMessageResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.workflow.executeUpdateWithStart(billingMessageUpdate, { args: [message], updateId: message.id, startWorkflowOperation: startOperation(config, customerId) });
    } catch (err) {
      if (!upgrading(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Hands the reconciler's usage batches to the brand's billing workflow, starting it if it has never run. */
export async function signalUsageBatches(client: Client, config: BillingStartConfig, customerId: string, batches: UsageBatch[]): Promise<void> {
  // REJECT_DUPLICATE (in the options): a customer whose workflow has closed is not silently given a new one.
  await client.workflow.signalWithStart<BillingCycleWorkflow, [{ batches: UsageBatch[] }]>(billingCycleWorkflowType, {
    ...billingStartOptions(config, customerId),
    signal: usageBatchSignal,
    signalArgs: [{ batches }],
  });
}
