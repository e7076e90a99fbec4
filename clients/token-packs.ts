// Temporal calls about token packs from outside workflows (the API and its webhook dispatcher).
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { queueName, searchAttributes, taskQueues, workflowIds } from '../temporal.config';
import {
  checkoutUrlUpdate,
  packPaidSignal,
  tokenPackPurchaseWorkflowType,
  tokenPackRefundWorkflowType,
  type PackPaid,
  type TokenPackPurchaseInput,
  type TokenPackPurchaseWorkflow,
  type TokenPackRefundWorkflow,
} from '../workflows/token-pack/messages';

/**
 * Starts the purchase workflow and waits (up to `waitMs`) for its Checkout Session URL. Null
 * when the URL is not there in time or the checkout could not be created.
 */
export async function startTokenPackPurchase(client: Client, taskQueuePrefix: string, input: TokenPackPurchaseInput, waitMs: number): Promise<string | null> {
  const handle = await client.workflow.start<TokenPackPurchaseWorkflow>(tokenPackPurchaseWorkflowType, {
    taskQueue: queueName(taskQueues.tokenPacks, taskQueuePrefix),
    workflowId: workflowIds.tokenPack(input.purchaseId),
    args: [input],
    typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: input.customerId }]),
  });
  try {
    const { checkoutUrl } = await client.connection.withDeadline(Date.now() + waitMs, () => handle.executeUpdate(checkoutUrlUpdate));
    return checkoutUrl;
  } catch {
    // Deadline or a lost connection: the workflow goes on; the buyer can retry or ask support.
    return null;
  }
}

/** Tells the purchase workflow Stripe reported the payment. False when it is no longer running. */
export async function signalPackPaid(client: Client, purchaseId: string, paid: PackPaid): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowIds.tokenPack(purchaseId)).signal(packPaidSignal, paid);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Starts the refund workflow once per refund level (cumulative cents refunded): a redelivered
 * event finds its run, a further partial refund starts its own. Every run is idempotent.
 */
export async function startTokenPackRefund(
  client: Client,
  taskQueuePrefix: string,
  input: { purchaseId: string; customerId: string; eventId: string; refundedCents: number; chargeCents: number },
): Promise<void> {
  try {
    await client.workflow.start<TokenPackRefundWorkflow>(tokenPackRefundWorkflowType, {
      taskQueue: queueName(taskQueues.tokenPacks, taskQueuePrefix),
      workflowId: workflowIds.tokenPackRefund(input.purchaseId, input.refundedCents),
      args: [{ purchaseId: input.purchaseId, eventId: input.eventId, refundedCents: input.refundedCents, chargeCents: input.chargeCents }],
      typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: input.customerId }]),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
