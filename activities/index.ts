// All activities, merged; workflows import this file's type only.
import { createActivationActivities, type ActivationActivityDeps } from './activations';
import { createAutoTopUpActivities, type AutoTopUpActivityDeps } from './auto-top-up';
import { createBillingActivities, type BillingActivityDeps } from './billing';
import { createCustomerActivities, type CustomerActivityDeps } from './customers';
import { createEntitlementActivities, type EntitlementActivityDeps } from './entitlements';
import { createNotifyActivities, type NotifyActivityDeps } from './notify';
import { createOperatorActivities, type OperatorActivityDeps } from './operator';
import { createOperatorRequestActivities, type OperatorRequestActivityDeps } from './operator-requests';
import { createReconcileAuditActivities, type ReconcileAuditActivityDeps } from './reconcile-audit';
import { createRetentionActivities } from './retention';
import { createTokenPackActivities, type TokenPackActivityDeps } from './token-packs';

export type ActivityDeps = CustomerActivityDeps & ActivationActivityDeps & BillingActivityDeps & EntitlementActivityDeps & TokenPackActivityDeps & NotifyActivityDeps & AutoTopUpActivityDeps & OperatorActivityDeps & OperatorRequestActivityDeps & ReconcileAuditActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
    ...createActivationActivities(deps),
    ...createBillingActivities(deps),
    ...createEntitlementActivities(deps),
    ...createTokenPackActivities(deps),
    ...createNotifyActivities(deps),
    ...createAutoTopUpActivities(deps),
    ...createOperatorActivities(deps),
    ...createOperatorRequestActivities(deps),
    ...createReconcileAuditActivities(deps),
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
