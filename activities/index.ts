// All activities, merged; workflows import this file's type only.
import { createActivationActivities, type ActivationActivityDeps } from './activations';
import { createCustomerActivities, type CustomerActivityDeps } from './customers';

export type ActivityDeps = CustomerActivityDeps & ActivationActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
    ...createActivationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
