// What crosses the boundary of the operator workflows (alert email, reconciliation audit):
// their type names, inputs and results. Imported by the workflows and by their callers (clients/).

export const deliverOperatorAlertWorkflowType = 'deliverOperatorAlert';

export interface DeliverOperatorAlertInput {
  alertId: string;
}

export interface DeliverOperatorAlertResult {
  outcome: 'sent' | 'already-sent' | 'no-operators' | 'no-such-alert' | 'failed';
}

export type DeliverOperatorAlertWorkflow = (input: DeliverOperatorAlertInput) => Promise<DeliverOperatorAlertResult>;
