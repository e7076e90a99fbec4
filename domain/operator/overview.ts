// The figures an operator lands on: how many brands, on which plans, which apps they run, and
// how many tokens were consumed lately. Read straight from PostgreSQL on each request; the tables
// it counts are small except the ledger, of which it reads one 30-day window of usage rows
// (one per batch, app and grant, not per use).
import type { EntityManager } from '@mikro-orm/postgresql';
import { planRank, type PlanKey } from '../billing/vocabulary';
import { fromBigintColumn } from '../units';

export const overviewWindowDays = 30;

export interface AppAdoption {
  slug: string;
  name: string;
  /** Brands whose activation of the app is `active` now. */
  activeBrands: number;
}

export interface OperatorOverview {
  brands: number;
  /** Every plan, zero included; `none`: signed up without a paid plan yet. */
  brandsPerPlan: Record<PlanKey | 'none', number>;
  /** Every app of the catalog, most adopted first. */
  adoption: AppAdoption[];
  /** Tokens used in the window minus those refunded (a failed run gives its tokens back). */
  tokensLast30Days: number;
}

export async function operatorOverview(em: EntityManager, now: Date): Promise<OperatorOverview> {
  const conn = em.getConnection();
  const since = new Date(now.getTime() - overviewWindowDays * 86_400_000);
  const plans = await conn.execute<{ plan: string | null; brands: string }[]>(
    `select p.lookup_key as plan, count(*) as brands
       from customers c
       left join customer_billing b on b.customer_id = c.id
       left join billing_plans p on p.id = b.plan_id
      group by p.lookup_key`,
  );
  const brandsPerPlan = Object.fromEntries([...planRank, 'none'].map((k) => [k, 0])) as OperatorOverview['brandsPerPlan'];
  let brands = 0;
  for (const row of plans) {
    const count = fromBigintColumn(row.brands, 'brands');
    brands += count;
    const key = (planRank as readonly string[]).includes(row.plan ?? '') ? (row.plan as PlanKey) : 'none';
    brandsPerPlan[key] += count;
  }
  const adoption = await conn.execute<{ slug: string; name: string; active_brands: string }[]>(
    `select a.slug, a.name, count(ca.customer_id) as active_brands
       from apps a left join customer_apps ca on ca.app_id = a.id and ca.status = 'active'
      group by a.id, a.slug, a.name
      order by count(ca.customer_id) desc, a.name`,
  );
  // Usage entries are negative and refunds positive: their sum, negated, is what was consumed.
  const [tokens] = await conn.execute<{ consumed: string | null }[]>(
    `select -sum(amount_tokens) as consumed from ledger_entries where kind in ('usage', 'refund') and created_at >= ? and created_at < ?`,
    [since, now],
  );
  return {
    brands,
    brandsPerPlan,
    adoption: adoption.map((a) => ({ slug: a.slug, name: a.name, activeBrands: fromBigintColumn(a.active_brands, 'active brands') })),
    tokensLast30Days: Math.max(0, fromBigintColumn(tokens?.consumed ?? 0, 'tokens consumed')),
  };
}
