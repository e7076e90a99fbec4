// Callers name workflows by the type names in their messages.ts, never by importing workflow
// code. These names are in every recorded history, so they must stay what the worker registers.
import * as workflows from '../../workflows';
import { appActivationWorkflowType, type AppActivationWorkflow } from '../../workflows/activation/messages';
import { billingCycleWorkflowType, type BillingCycleWorkflow } from '../../workflows/billing/messages';
import { deliverNoticeWorkflowType, sendWeeklySummariesWorkflowType, type DeliverNoticeWorkflow, type SendWeeklySummariesWorkflow } from '../../workflows/notify/messages';
import { onboardCustomerWorkflowType, type OnboardCustomerWorkflow } from '../../workflows/onboarding/messages';
import { deliverOperatorAlertWorkflowType, reconcileAuditWorkflowType, type DeliverOperatorAlertWorkflow, type ReconcileAuditWorkflow } from '../../workflows/operator/messages';
import { enforceRetentionWorkflowType, type EnforceRetentionWorkflow } from '../../workflows/privacy/messages';
import { tokenPackPurchaseWorkflowType, tokenPackRefundWorkflowType, type TokenPackPurchaseWorkflow, type TokenPackRefundWorkflow } from '../../workflows/token-pack/messages';

// Checked by the type-check: each workflow has the signature its callers are typed against.
const signatures: [AppActivationWorkflow, BillingCycleWorkflow, OnboardCustomerWorkflow, TokenPackPurchaseWorkflow, TokenPackRefundWorkflow, DeliverNoticeWorkflow, SendWeeklySummariesWorkflow, DeliverOperatorAlertWorkflow, ReconcileAuditWorkflow, EnforceRetentionWorkflow] = [
  workflows.appActivation,
  workflows.billingCycle,
  workflows.onboardCustomer,
  workflows.tokenPackPurchase,
  workflows.tokenPackRefund,
  workflows.deliverNotice,
  workflows.sendWeeklySummaries,
  workflows.deliverOperatorAlert,
  workflows.reconcileAudit,
  workflows.enforceRetention,
];

describe('workflow type names', () => {
  it.each([appActivationWorkflowType, billingCycleWorkflowType, onboardCustomerWorkflowType, tokenPackPurchaseWorkflowType, tokenPackRefundWorkflowType, deliverNoticeWorkflowType, sendWeeklySummariesWorkflowType, deliverOperatorAlertWorkflowType, reconcileAuditWorkflowType, enforceRetentionWorkflowType])('registers %s under the name its callers use', (name) => {
    expect(typeof (workflows as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports only workflow functions to the worker bundle', () => {
    expect(Object.keys(workflows).sort()).toEqual(['appActivation', 'billingCycle', 'deliverNotice', 'deliverOperatorAlert', 'enforceRetention', 'onboardCustomer', 'reconcileAudit', 'sendWeeklySummaries', 'tokenPackPurchase', 'tokenPackRefund']);
    expect(signatures).toHaveLength(10);
  });
});
