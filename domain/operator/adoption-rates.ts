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

const usable = (c: PlanChange | undefined): PlanKey | null =>
  !c || c.status === null || c.status === 'canceled' || !isPlanKey(c.planKey) ? null : c.planKey;

/** The plan a brand could use apps of at `at`: its latest change before it, unless canceled or gone. */
export function planAt(history: readonly PlanChange[], at: Date): PlanKey | null {
  let current: PlanChange | undefined;
  for (const c of history) {
    if (c.at >= at) break;
    current = c;
  }
  return usable(current);
}

/**
 * Adoption at the end of each month (`ends`, ascending): eligibility from the plan history,
 * activity from when each currently active app was activated (an app activated and later
 * deactivated is not in the history: customer_apps keeps only the latest state). One walk of each
 * brand's history for all months; the slugs each plan includes are worked out once.
 */
export function adoptionByMonth(
  slugs: readonly string[],
  plans: ReadonlyMap<string, readonly PlanChange[]>,
  activatedAt: ReadonlyMap<string, ReadonlyMap<string, Date>>,
  ends: readonly { month: string; endAt: Date }[],
): { month: string; bySlug: Record<string, number> }[] {
  const included = new Map(planRank.map((plan) => [plan, slugs.filter((slug) => planIncludes(plan, slug))]));
  const eligible = ends.map(() => new Map(slugs.map((s) => [s, 0])));
  const active = ends.map(() => new Map(slugs.map((s) => [s, 0])));
  for (const [customerId, history] of plans) {
    const apps = activatedAt.get(customerId);
    let i = 0;
    let current: PlanChange | undefined;
    ends.forEach(({ endAt }, m) => {
      while (i < history.length && history[i]!.at < endAt) current = history[i++];
      const plan = usable(current);
      if (!plan) return;
      for (const slug of included.get(plan)!) {
        eligible[m]!.set(slug, eligible[m]!.get(slug)! + 1);
        const since = apps?.get(slug);
        if (since && since < endAt) active[m]!.set(slug, active[m]!.get(slug)! + 1);
      }
    });
  }
  return ends.map(({ month }, m) => ({ month, bySlug: Object.fromEntries(slugs.map((s) => [s, rateOf(active[m]!.get(s)!, eligible[m]!.get(s)!)])) }));
}
