import { appCatalog, appDefinitions } from '../../domain/catalog/apps';
import { planRank } from '../../domain/billing/vocabulary';
import { assertEntitled, cheapestPlanFor, planIncludes } from '../../domain/catalog/entitlement';
import { planCatalog } from '../../domain/catalog/plans';
import { AppError } from '../../domain/errors';

const basic = ['eyewear-recommendations', 'face-shape-analysis', 'frame-finder', 'pd-calculator'];
const allSlugs = appDefinitions.map((a) => a.slug);

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('plan entitlement', () => {
  it('includes exactly the four basic apps in Starter', () => {
    expect(allSlugs.filter((s) => planIncludes('starter', s)).sort()).toEqual(basic);
  });

  it('includes every app in Professional and Enterprise', () => {
    expect(allSlugs.filter((s) => !planIncludes('professional', s) || !planIncludes('enterprise', s))).toEqual([]);
  });

  it('includes nothing for a brand without a plan', () => {
    expect(allSlugs.filter((s) => planIncludes(null, s))).toEqual([]);
  });

  it('names Starter as the cheapest plan for a basic app and Professional for the rest', () => {
    expect(cheapestPlanFor('pd-calculator')).toBe('starter');
    expect(cheapestPlanFor('virtual-try-on')).toBe('professional');
  });

  it('treats an app the code does not define as needing Professional', () => {
    expect([cheapestPlanFor('retired-app'), planIncludes('starter', 'retired-app'), planIncludes('professional', 'retired-app')]).toEqual(['professional', false, true]);
  });

  it('orders the plan tiers by price, so a dearer plan includes what a cheaper one does', () => {
    const byPrice = [...planCatalog].sort((a, b) => a.priceCents - b.priceCents).map((p) => p.lookupKey);
    expect(byPrice).toEqual([...planRank]);
  });

  it('passes an entitled plan without throwing', () => {
    expect(() => assertEntitled('starter', 'frame-finder')).not.toThrow();
  });

  it('refuses a Starter brand a Professional app with PLAN_UPGRADE_REQUIRED (403), naming both plans', () => {
    const err = thrown(() => assertEntitled('starter', 'virtual-try-on'));
    expect([err.code, err.status, err.details]).toEqual(['PLAN_UPGRADE_REQUIRED', 403, { requiredPlan: 'professional', currentPlan: 'starter' }]);
    expect(err.message).toBe('Virtual Try-On needs the Professional plan; this brand has the Starter plan.');
  });

  it('refuses a brand without a plan even a basic app, naming Starter', () => {
    const err = thrown(() => assertEntitled(null, 'pd-calculator'));
    expect([err.details, err.message]).toEqual([{ requiredPlan: 'starter', currentPlan: null }, 'PD Calculator needs the Starter plan; this brand has no plan yet.']);
  });
});

describe('app catalog rows', () => {
  it('leave the required plan out of the rows the seed writes to the apps table', () => {
    expect(appCatalog.filter((row) => 'requiredPlan' in row)).toEqual([]);
    expect(appCatalog.map((a) => a.slug)).toEqual(allSlugs);
  });
});
