// Adoption counts brands whose plan includes the app: Starter includes the basic apps,
// Professional and Enterprise all; a rate is active ÷ eligible, 0 when none is eligible.
import { adoptionByMonth, adoptionRates, planAt, type PlanChange } from '../../../domain/operator/adoption-rates';

const apps = [
  { slug: 'pd-calculator', name: 'PD Calculator' },
  { slug: 'virtual-try-on', name: 'Virtual Try-On' },
];

describe('adoptionRates', () => {
  it('counts Starter brands eligible for basic apps only, and active brands only where eligible', () => {
    const rows = adoptionRates(apps, { starter: 10, professional: 4, enterprise: 1 }, [
      { slug: 'pd-calculator', plan: 'starter', brands: 3 },
      { slug: 'pd-calculator', plan: 'professional', brands: 2 },
      // A Starter brand with Virtual Try-On left active after a downgrade: not counted.
      { slug: 'virtual-try-on', plan: 'starter', brands: 1 },
      { slug: 'virtual-try-on', plan: 'enterprise', brands: 1 },
    ]);
    expect(rows).toEqual([
      { slug: 'pd-calculator', name: 'PD Calculator', activeBrands: 5, eligibleBrands: 15, rate: 5 / 15 },
      { slug: 'virtual-try-on', name: 'Virtual Try-On', activeBrands: 1, eligibleBrands: 5, rate: 1 / 5 },
    ]);
  });

  it('answers rate 0 when no brand is eligible', () => {
    expect(adoptionRates(apps, {}, [])).toEqual([
      { slug: 'pd-calculator', name: 'PD Calculator', activeBrands: 0, eligibleBrands: 0, rate: 0 },
      { slug: 'virtual-try-on', name: 'Virtual Try-On', activeBrands: 0, eligibleBrands: 0, rate: 0 },
    ]);
  });
});

const change = (customerId: string, iso: string, planKey: string | null, status: string | null): PlanChange => ({
  customerId,
  at: new Date(iso),
  mrrCents: 0,
  planKey,
  status,
});

describe('planAt and adoptionByMonth', () => {
  it('takes the plan of the latest change before the moment, none once canceled', () => {
    const h = [change('a', '2026-01-01T00:00:00Z', 'starter', 'active'), change('a', '2026-02-01T00:00:00Z', 'professional', 'canceled')];
    expect(planAt(h, new Date('2026-01-15T00:00:00Z'))).toBe('starter');
    expect(planAt(h, new Date('2026-02-15T00:00:00Z'))).toBeNull();
    expect(planAt(h, new Date('2025-12-15T00:00:00Z'))).toBeNull();
  });

  it('counts an app from its activation time among the brands eligible then', () => {
    const plans = new Map([
      ['a', [change('a', '2026-01-01T00:00:00Z', 'professional', 'active')]],
      ['b', [change('b', '2026-01-01T00:00:00Z', 'starter', 'past_due')]],
    ]);
    const activated = new Map([['a', new Map([['virtual-try-on', new Date('2026-02-10T00:00:00Z')], ['pd-calculator', new Date('2026-01-20T00:00:00Z')]])]]);
    const slugs = ['pd-calculator', 'virtual-try-on'];
    const ends = [
      { month: '2026-01', endAt: new Date('2026-02-01T00:00:00Z') },
      { month: '2026-02', endAt: new Date('2026-03-01T00:00:00Z') },
    ];
    // b (Starter, past due) is eligible for the PD Calculator only, and never activated it.
    expect(adoptionByMonth(slugs, plans, activated, ends)).toEqual([
      { month: '2026-01', bySlug: { 'pd-calculator': 0.5, 'virtual-try-on': 0 } },
      { month: '2026-02', bySlug: { 'pd-calculator': 0.5, 'virtual-try-on': 1 } },
    ]);
  });
});
