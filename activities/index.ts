// All activities, merged; workflows import this file's type only.
import { createCustomerActivities, type CustomerActivityDeps } from './customers';

export type ActivityDeps = CustomerActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
