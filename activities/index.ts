// All activities, merged; workflows import this file's type only.
import { createActivationActivities, type ActivationActivityDeps } from './activations';
import { createBillingActivities, type BillingActivityDeps } from './billing';
import { createCustomerActivities, type CustomerActivityDeps } from './customers';
import { createEntitlementActivities, type EntitlementActivityDeps } from './entitlements';
import { createNotifyActivities, type NotifyActivityDeps } from './notify';
import { createOperatorRequestActivities, type OperatorRequestActivityDeps } from './operator-requests';
import { createTokenPackActivities, type TokenPackActivityDeps } from './token-packs';

export type ActivityDeps = CustomerActivityDeps & ActivationActivityDeps & BillingActivityDeps & EntitlementActivityDeps & TokenPackActivityDeps & NotifyActivityDeps & OperatorRequestActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
    ...createActivationActivities(deps),
    ...createBillingActivities(deps),
    ...createEntitlementActivities(deps),
    ...createTokenPackActivities(deps),
    ...createNotifyActivities(deps),
    ...createOperatorRequestActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
