// The Temporal client for callers outside workflows (API, scripts), and the starts they use.
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Config } from '../domain/config';
import { searchAttributes, taskQueues, workflowIds } from '../temporal.config';
import type { onboardCustomer } from '../workflows/onboard-customer';
import { temporalConnectionOptions } from './temporal-connection';

export function createTemporalClient(config: Pick<Config, 'temporal'>): Client {
  // Lazy: callers start even if Temporal is not up yet; /health reports it.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** Starts onboarding once per customer; a second call is a no-op. */
export async function startOnboarding(client: Client, customerId: string): Promise<void> {
  try {
    await client.workflow.start<typeof onboardCustomer>('onboardCustomer', {
      taskQueue: taskQueues.billing,
      workflowId: workflowIds.customerOnboarding(customerId),
      args: [{ customerId }],
      typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: customerId }]),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
