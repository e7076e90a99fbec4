// Asks a brand's billing workflow for a verdict from a route (update-with-start, bounded wait).
// The brand's own subscription routes and the operators' money routes share it, so both answer
// the same 503 when billing is slow or closed by support.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { sendBillingMessage } from '../clients/billing';
import { AppError } from '../domain/errors';
import type { BillingMessage, BillingMessageResult } from '../workflows/billing/messages';
import type { Deps } from './deps';

/** The optional Idempotency-Key of a billing request: it becomes part of the message id. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x20-\x7E]+$/, 'printable ASCII only')
    .optional()
    .meta({ description: 'Repeat it to retry the same request: the change is made once.' }),
});

/** How long a request waits for the workflow's verdict; a Stripe call is usually under a second. */
const verdictWaitMs = 20_000;

export async function askBillingWorkflow(deps: Deps, customerId: string, message: BillingMessage): Promise<BillingMessageResult> {
  try {
    return await deps.temporal.connection.withDeadline(Date.now() + verdictWaitMs, () => sendBillingMessage(deps.temporal, deps.config, customerId, message));
  } catch (err) {
    deps.logger.warn({ err, customerId, kind: message.request.kind }, 'billing message not answered');
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // Support closed this brand's billing workflow (docs/SUPPORT.md): nothing can change until it is restarted.
      throw new AppError('SERVICE_UNAVAILABLE', 'Billing for this brand is paused by support. Try again later or contact support.');
    }
    throw new AppError('SERVICE_UNAVAILABLE', 'Billing did not answer in time. Retry with the same Idempotency-Key: the change is made once.');
  }
}
