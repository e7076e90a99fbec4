// Starting an auto top-up's purchase: the tokenPackPurchase workflow in off-session mode, from
// the activity that decided to buy. Nobody waits for it: the billing workflow learns of the
// credit by the purchase's own `pack-credited` report.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { queueName, searchAttributes, taskQueues, workflowIds } from '../temporal.config';
import { tokenPackPurchaseWorkflowType, type TokenPackPurchaseInput, type TokenPackPurchaseWorkflow } from '../workflows/token-pack/messages';

/** Idempotent: the workflow id is the purchase's, so a retried start finds the first run. */
export async function startOffSessionPurchase(client: Client, taskQueuePrefix: string, input: TokenPackPurchaseInput): Promise<void> {
  try {
    await client.workflow.start<TokenPackPurchaseWorkflow>(tokenPackPurchaseWorkflowType, {
      taskQueue: queueName(taskQueues.tokenPacks, taskQueuePrefix),
      workflowId: workflowIds.tokenPack(input.purchaseId),
      args: [input],
      typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: input.customerId }]),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
