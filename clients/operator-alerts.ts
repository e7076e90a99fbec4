// Raising an operator alert from a process that has a Temporal client (an activity): record it
// (domain/operator/alerts.ts), then start its email without waiting for it. A caller without a
// client records only; the reconciliation audit's sweep (activities/reconcile-audit.ts) emails
// what nobody started.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { raiseOperatorAlert, type OperatorAlertInput } from '../domain/operator/alerts';
import { workflowIds } from '../temporal.config';
import { deliverOperatorAlertWorkflowType, type DeliverOperatorAlertWorkflow } from '../workflows/operator/messages';

/** Starts the alert's email workflow; a second start (a retry, the sweep) finds it and does nothing. */
export async function startOperatorAlertEmail(temporal: Client, taskQueue: string, alertId: string): Promise<void> {
  try {
    await temporal.workflow.start<DeliverOperatorAlertWorkflow>(deliverOperatorAlertWorkflowType, {
      taskQueue,
      workflowId: workflowIds.operatorAlertEmail(alertId),
      args: [{ alertId }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** `taskQueue`: the full name of the caller's queue (its worker registers every workflow). */
export async function alertOperators(orm: MikroORM, temporal: Client, taskQueue: string, alert: OperatorAlertInput): Promise<{ alertId: string; raised: boolean }> {
  const result = await raiseOperatorAlert(orm, alert);
  if (result.raised) await startOperatorAlertEmail(temporal, taskQueue, result.alertId);
  return result;
}
