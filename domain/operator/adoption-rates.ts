// Pure: app adoption, the share of the brands that could use an app (their plan includes it,
// domain/catalog/entitlement.ts) that have it active. A brand with the app active but no plan
// including it (left over from a downgrade not yet enforced) is in neither count.
import { planIncludes } from '../catalog/entitlement';
import { isPlanKey, planRank, type PlanKey } from '../billing/vocabulary';
import type { MrrChange } from './mrr-history';

export interface AppAdoptionRate {
  slug: string;
  name: string;
  activeBrands: number;
  eligibleBrands: number;
  /** activeBrands ÷ eligibleBrands; 0 when no brand is eligible. */
  rate: number;
}

export const rateOf = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** Brands counted by their current plan: those on each plan, and those with each app active on each plan. */
export function adoptionRates(
  apps: readonly { slug: string; name: string }[],
  brandsPerPlan: Partial<Record<PlanKey, number>>,
  activePerPlan: readonly { slug: string; plan: string; brands: number }[],
): AppAdoptionRate[] {
  return apps.map(({ slug, name }) => {
    const including = planRank.filter((plan) => planIncludes(plan, slug));
    const eligibleBrands = including.reduce((sum, plan) => sum + (brandsPerPlan[plan] ?? 0), 0);
    const activeBrands = activePerPlan
      .filter((r) => r.slug === slug && isPlanKey(r.plan) && including.includes(r.plan))
      .reduce((sum, r) => sum + r.brands, 0);
    return { slug, name, activeBrands, eligibleBrands, rate: rateOf(activeBrands, eligibleBrands) };
  });
}

/** A plan change, as subscription_mrr_changes records it. */
export interface PlanChange extends MrrChange {
  planKey: string | null;
  status: string | null;
}

/** The plan a brand could use apps of at `at`: its latest change before it, unless canceled or gone. */
export function planAt(history: readonly PlanChange[], at: Date): PlanKey | null {
  let current: PlanChange | undefined;
  for (const c of history) {
    if (c.at >= at) break;
    current = c;
  }
  if (!current || current.status === null || current.status === 'canceled' || !isPlanKey(current.planKey)) return null;
  return current.planKey;
}

/**
 * Adoption at the end of each month: eligibility from the plan history, activity from when each
 * currently active app was activated (an app activated and later deactivated is not in the
 * history: customer_apps keeps only the latest state).
 */
export function adoptionAt(
  slugs: readonly string[],
  plans: Map<string, PlanChange[]>,
  activatedAt: Map<string, Map<string, Date>>,
  at: Date,
): Record<string, number> {
  const eligible = Object.fromEntries(slugs.map((s) => [s, 0]));
  const active = Object.fromEntries(slugs.map((s) => [s, 0]));
  for (const [customerId, history] of plans) {
    const plan = planAt(history, at);
    if (!plan) continue;
    const apps = activatedAt.get(customerId);
    for (const slug of slugs) {
      if (!planIncludes(plan, slug)) continue;
      eligible[slug]! += 1;
      const since = apps?.get(slug);
      if (since && since < at) active[slug]! += 1;
    }
  }
  return Object.fromEntries(slugs.map((s) => [s, rateOf(active[s]!, eligible[s]!)]));
}
