// Reading a brand's billing workflow state by query (the reconciliation audit compares its usage
// totals with the ledger's batches). A query is answered by a worker replaying the workflow, so
// it works on a closed run too; a brand that never had one answers null.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
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
    throw err;
  }
}
