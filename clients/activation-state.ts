// Reading an activation run's state for the app page's live step list. A query is not part of
// the history and changes nothing, so the page may ask as often as it polls.
import type { Client } from '@temporalio/client';
import { workflowIds } from '../temporal.config';
import { activationStateQuery, type ActivationState } from '../workflows/activation/messages';

/**
 * The run's state, or null when there is no run to ask (never started, or gone from retention)
 * or it did not answer within `deadlineMs` (Temporal or the activations worker down): the
 * caller falls back to the customer_apps row, which is never wrong, only less detailed.
 */
export async function readActivationState(client: Client, customerId: string, slug: string, deadlineMs: number): Promise<ActivationState | null> {
  try {
    const handle = client.workflow.getHandle(workflowIds.activation(customerId, slug));
    return await client.connection.withDeadline(Date.now() + deadlineMs, () => handle.query(activationStateQuery));
  } catch {
    return null;
  }
}
