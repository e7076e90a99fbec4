// Reading a brand's billing workflow state by query (the reconciliation audit compares its usage
// totals with the ledger's batches). A query is answered by a worker replaying the workflow, so
// it works on a closed run too; a brand that never had one, or whose run was closed before it
// ever ran (nothing applied, nothing to replay), answers null.
import { ServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { workflowIds } from '../temporal.config';
import { cycleStateQuery } from '../workflows/billing/messages';
import type { BillingCycleState } from '../workflows/billing/state';

/** A query waits for a worker; with the billing queue unserved it fails after this, not the RPC's own minute. */
const queryDeadlineMs = 10_000;

export async function billingCycleState(client: Client, customerId: string): Promise<BillingCycleState | null> {
  try {
    return await client.connection.withDeadline(Date.now() + queryDeadlineMs, () => client.workflow.getHandle(workflowIds.billing(customerId)).query(cycleStateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    // gRPC FAILED_PRECONDITION: "Workflow execution closed before WorkflowTaskStarted event".
    if (err instanceof ServiceError && (err.cause as { code?: number } | undefined)?.code === 9) return null;
    throw err;
  }
}
