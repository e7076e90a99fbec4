// The catalog as one viewer sees it: a brand sees its plan's entitlement and its activation of
// each app; an operator (no brand) sees the bare catalog.
import type { EntityManager } from '@mikro-orm/postgresql';
import { App, AppBetaAccess, CustomerApp, CustomerBilling } from '../entities';
import type { ActivationStatus } from '../entities/customer-app';
import { planOfLookupKey } from '../billing/vocabulary';
import { cheapestPlanFor, planIncludes, type PlanKey, type RequiredPlan } from './entitlement';

export interface Activation {
  status: ActivationStatus;
  activatedAt: Date | null;
  failureReason: string | null;
}

export interface CatalogEntry {
  app: App;
  requiredPlan: RequiredPlan;
  /** Null for an operator. */
  includedInPlan: boolean | null;
  /** Null for an operator; `inactive` when the brand has no customer_apps row for the app. */
  activation: Activation | null;
  /** The brand's configuration of the app, `{}` until set; null for an operator. */
  configuration: Record<string, unknown> | null;
}

const noActivation: Activation = { status: 'inactive', activatedAt: null, failureReason: null };

/** The brand's current plan; null without a billing row or before a plan is chosen. */
export async function currentPlan(em: EntityManager, customerId: string): Promise<PlanKey | null> {
  const billing = await em.findOne(CustomerBilling, { customer: customerId }, { populate: ['plan'] });
  const key = billing?.plan?.lookupKey;
  return planOfLookupKey(key);
}

/** A beta app is shown only to the brands on its allow-list (app_beta_access); operators see every app. */
function visible(app: App, customerId: string | null, betaAppIds: ReadonlySet<string>): boolean {
  return customerId === null || app.status !== 'beta' || betaAppIds.has(app.id);
}

/** The beta apps, of those given, this brand has been let into. */
async function betaAccessOf(em: EntityManager, customerId: string, apps: App[]): Promise<Set<string>> {
  const beta = apps.filter((a) => a.status === 'beta');
  if (beta.length === 0) return new Set();
  const rows = await em.find(AppBetaAccess, { customer: customerId, app: { $in: beta.map((a) => a.id) } });
  return new Set(rows.map((r) => r.app.id));
}

function entry(app: App, customerId: string | null, plan: PlanKey | null, row: CustomerApp | undefined): CatalogEntry {
  const requiredPlan = cheapestPlanFor(app.slug);
  if (customerId === null) return { app, requiredPlan, includedInPlan: null, activation: null, configuration: null };
  return {
    app,
    requiredPlan,
    includedInPlan: planIncludes(plan, app.slug),
    activation: row ? { status: row.status, activatedAt: row.activatedAt ?? null, failureReason: row.failureReason ?? null } : noActivation,
    configuration: row?.configuration ?? {},
  };
}

/** Every app this viewer may see, by name, with the viewer's plan (null for an operator). */
export async function catalogFor(em: EntityManager, customerId: string | null): Promise<{ plan: PlanKey | null; entries: CatalogEntry[] }> {
  // The catalog itself tolerates replica lag; the brand's own rows are read from the primary so
  // an activation or plan change shows at once.
  const apps = await em.find(App, {}, { orderBy: { name: 'asc' }, connectionType: 'read' });
  if (customerId === null) return { plan: null, entries: apps.map((a) => entry(a, null, null, undefined)) };
  const plan = await currentPlan(em, customerId);
  const rows = await em.find(CustomerApp, { customer: customerId });
  const byApp = new Map(rows.map((r) => [r.app.id, r]));
  const beta = await betaAccessOf(em, customerId, apps);
  const entries = apps.filter((a) => visible(a, customerId, beta)).map((a) => entry(a, customerId, plan, byApp.get(a.id)));
  return { plan, entries };
}

/** One app as this viewer sees it, or null when it does not exist or is hidden from the viewer. */
export async function catalogEntry(em: EntityManager, customerId: string | null, slug: string): Promise<{ plan: PlanKey | null; entry: CatalogEntry } | null> {
  const app = await em.findOne(App, { slug });
  if (!app) return null;
  if (customerId === null) return { plan: null, entry: entry(app, null, null, undefined) };
  if (!visible(app, customerId, await betaAccessOf(em, customerId, [app]))) return null;
  const row = await em.findOne(CustomerApp, { customer: customerId, app });
  const plan = await currentPlan(em, customerId);
  return { plan, entry: entry(app, customerId, plan, row ?? undefined) };
}
