// Which plan includes which app. Starter includes the basic apps; Professional and Enterprise
// include every app. A customer without a plan (signed up, not yet subscribed) is included in
// nothing: answers name the plan that would include the app, so the portal can offer it.
import { AppError } from '../errors';
import { appDefinitions, type AppDefinition } from './apps';
import { planNames, planRank, type PlanKey } from '../billing/vocabulary';

export type { PlanKey } from '../billing/vocabulary';
export type RequiredPlan = AppDefinition['requiredPlan'];

const requiredPlans = new Map(appDefinitions.map((a) => [a.slug, a.requiredPlan]));
const appNames = new Map(appDefinitions.map((a) => [a.slug, a.name]));

/**
 * The cheapest plan that includes the app. An app the code does not define (a row left in the
 * apps table) is not one of the basic apps, so it needs Professional: "Professional includes all".
 */
export function cheapestPlanFor(slug: string): RequiredPlan {
  return requiredPlans.get(slug) ?? 'professional';
}

export function planIncludes(plan: PlanKey | null, slug: string): boolean {
  if (plan === null) return false;
  return planRank.indexOf(plan) >= planRank.indexOf(cheapestPlanFor(slug));
}

export function planName(plan: PlanKey): string {
  return planNames[plan] ?? plan;
}

/** Throws PLAN_UPGRADE_REQUIRED (403) unless the plan includes the app. */
export function assertEntitled(plan: PlanKey | null, slug: string): void {
  if (planIncludes(plan, slug)) return;
  const requiredPlan = cheapestPlanFor(slug);
  const current = plan === null ? 'no plan yet' : `the ${planName(plan)} plan`;
  throw new AppError('PLAN_UPGRADE_REQUIRED', `${appNames.get(slug) ?? slug} needs the ${planName(requiredPlan)} plan; this brand has ${current}.`, {
    requiredPlan,
    currentPlan: plan,
  });
}
