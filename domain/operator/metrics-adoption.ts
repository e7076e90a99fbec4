// Adoption, configuration completion and the activation history, read from PostgreSQL for the
// pure calculations of adoption-rates.ts. Each query is one aggregate over customer_apps (one row
// per brand and app ever activated), so its cost grows with activations, not with uses.
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultConfiguration, settingsSchemaFor } from '../catalog/app-settings';
import type { PlanKey } from '../billing/vocabulary';
import { fromBigintColumn } from '../units';
import { adoptionRates, rateOf, type AppAdoptionRate } from './adoption-rates';

export interface CatalogApp {
  slug: string;
  name: string;
}

export interface ConfigurationCompletion {
  slug: string;
  activeBrands: number;
  configuredBrands: number;
  rate: number;
}

const int = (v: string | number | null | undefined, what: string) => fromBigintColumn(v ?? 0, what);

export async function catalogApps(em: EntityManager): Promise<CatalogApp[]> {
  return em.getConnection().execute<CatalogApp[]>('select slug, name from apps order by name');
}

/** Brands whose plan is not canceled, counted per plan, and those of them with each app active. */
export async function currentAdoption(em: EntityManager, apps: CatalogApp[]): Promise<AppAdoptionRate[]> {
  const conn = em.getConnection();
  const plans = await conn.execute<{ plan: PlanKey; brands: string }[]>(
    `select p.lookup_key as plan, count(*) as brands from customer_billing b join billing_plans p on p.id = b.plan_id
      where b.status <> 'canceled' group by 1`,
  );
  const active = await conn.execute<{ slug: string; plan: string; brands: string }[]>(
    `select a.slug, p.lookup_key as plan, count(*) as brands
       from customer_apps ca join apps a on a.id = ca.app_id
       join customer_billing b on b.customer_id = ca.customer_id join billing_plans p on p.id = b.plan_id
      where ca.status = 'active' and b.status <> 'canceled' group by 1, 2`,
  );
  return adoptionRates(
    apps,
    Object.fromEntries(plans.map((r) => [r.plan, int(r.brands, 'brands')])),
    active.map((r) => ({ slug: r.slug, plan: r.plan, brands: int(r.brands, 'brands') })),
  );
}

/**
 * Of the brands with an app active, those that saved a configuration (app_configuration_versions)
 * and whose current one differs from the app's defaults (jsonb equality: key order does not count).
 */
export async function configurationCompletion(em: EntityManager, apps: CatalogApp[]): Promise<ConfigurationCompletion[]> {
  const defaults = Object.fromEntries(apps.filter((a) => settingsSchemaFor(a.slug)).map((a) => [a.slug, defaultConfiguration(a.slug)]));
  const rows = await em.getConnection().execute<{ slug: string; active: string; configured: string }[]>(
    `select a.slug, count(*) as active,
            count(*) filter (where ca.configuration is distinct from d.value
                               and exists (select 1 from app_configuration_versions v where v.customer_id = ca.customer_id and v.app_id = ca.app_id)) as configured
       from customer_apps ca join apps a on a.id = ca.app_id
       left join jsonb_each(?::jsonb) d on d.key = a.slug
      where ca.status = 'active' group by a.slug`,
    [JSON.stringify(defaults)],
  );
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  return apps.map(({ slug }) => {
    const activeBrands = int(bySlug.get(slug)?.active, 'active brands');
    const configuredBrands = int(bySlug.get(slug)?.configured, 'configured brands');
    return { slug, activeBrands, configuredBrands, rate: rateOf(configuredBrands, activeBrands) };
  });
}

/** customerId → slug → when its currently active app was activated. */
export async function activationDates(em: EntityManager): Promise<Map<string, Map<string, Date>>> {
  const rows = await em.getConnection().execute<{ customer_id: string; slug: string; activated_at: Date }[]>(
    `select ca.customer_id, a.slug, ca.activated_at from customer_apps ca join apps a on a.id = ca.app_id
      where ca.status = 'active' and ca.activated_at is not null`,
  );
  const out = new Map<string, Map<string, Date>>();
  for (const r of rows) {
    const apps = out.get(r.customer_id) ?? new Map<string, Date>();
    apps.set(r.slug, new Date(r.activated_at));
    out.set(r.customer_id, apps);
  }
  return out;
}
