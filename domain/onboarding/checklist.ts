// The onboarding checklist of the apps page, derived from the brand's real state every time it
// is read (nothing to keep in step): the five steps from sign-up to a live widget, in order.
//
//   choose_plan    the brand has a plan (paid: the billing workflow set it), at its first allowance
//   activate_app   an app was activated at least once (activatedAt set), at the first activation
//   configure_app  a configuration version ≥ 1 was saved, at the first save
//   copy_snippet   staff copied an app's embed snippet (POST /api/onboarding/snippet-copied)
//   first_call     the first metered use from a publishable key (domain/catalog/first-call.ts)
//
// Each step names the app it concerns, so the portal can link to that app's page: the app it was
// done with, else the app to do it with next (see `suggestion`).
import type { EntityManager } from '@mikro-orm/postgresql';
import { catalogFor } from '../catalog/catalog-view';
import { firstWidgetCall } from '../catalog/first-call';

export const onboardingSteps = ['choose_plan', 'activate_app', 'configure_app', 'copy_snippet', 'first_call'] as const;
export type OnboardingStepKey = (typeof onboardingSteps)[number];

export interface OnboardingStep {
  key: OnboardingStepKey;
  done: boolean;
  doneAt: Date | null;
  /** The app's slug the step was done with, or the one to do it with; null when none applies. */
  slug: string | null;
}

/** When each step was first done (null: not yet) and with which app, as read from PostgreSQL. */
export interface OnboardingFacts {
  planAt: Date | null;
  /** Whether the brand has a plan; it can have one before any allowance is recorded. */
  hasPlan: boolean;
  activatedAt: Date | null;
  activatedSlug: string | null;
  configuredAt: Date | null;
  configuredSlug: string | null;
  snippetAt: Date | null;
  snippetSlug: string | null;
  firstCallAt: Date | null;
  firstCallSlug: string | null;
  /** The brand's app to carry on with: its earliest active app, else one being activated or failed. */
  currentSlug: string | null;
  /** The first app, by name, the plan includes: where to activate when nothing is yet. */
  includedSlug: string | null;
}

/** Pure: the steps from the facts. */
export function checklistOf(f: OnboardingFacts): OnboardingStep[] {
  const step = (key: OnboardingStepKey, done: boolean, doneAt: Date | null, doneSlug: string | null, nextSlug: string | null): OnboardingStep => ({
    key,
    done,
    doneAt: done ? doneAt : null,
    slug: done ? doneSlug : nextSlug,
  });
  const next = f.currentSlug ?? f.activatedSlug;
  return [
    step('choose_plan', f.hasPlan, f.planAt, null, null),
    step('activate_app', f.activatedAt !== null, f.activatedAt, f.activatedSlug, f.currentSlug ?? f.includedSlug),
    step('configure_app', f.configuredAt !== null, f.configuredAt, f.configuredSlug, next),
    step('copy_snippet', f.snippetAt !== null, f.snippetAt, f.snippetSlug, next),
    step('first_call', f.firstCallAt !== null, f.firstCallAt, f.firstCallSlug, next),
  ];
}

interface FirstOf {
  at: Date | null;
  slug: string | null;
}

async function firstOf(em: EntityManager, sql: string, customerId: string): Promise<FirstOf> {
  const [row] = await em.getConnection().execute<{ at: Date; slug: string }[]>(sql, [customerId]);
  return row ? { at: new Date(row.at), slug: row.slug } : { at: null, slug: null };
}

export async function onboardingFacts(em: EntityManager, customerId: string): Promise<OnboardingFacts> {
  const [billing] = await em.getConnection().execute<{ has_plan: boolean; plan_at: Date | null }[]>(
    `select b.plan_id is not null as has_plan,
            coalesce((select min(g.created_at) from token_grants g where g.customer_id = b.customer_id and g.source = 'plan_allowance'), b.cycle_start_at) as plan_at
       from customer_billing b
      where b.customer_id = ?`,
    [customerId],
  );
  const activated = await firstOf(em, `select ca.activated_at as at, a.slug from customer_apps ca join apps a on a.id = ca.app_id where ca.customer_id = ? and ca.activated_at is not null order by ca.activated_at limit 1`, customerId);
  const configured = await firstOf(em, `select v.created_at as at, a.slug from app_configuration_versions v join apps a on a.id = v.app_id where v.customer_id = ? order by v.created_at, v.version limit 1`, customerId);
  const snippet = await firstOf(em, `select c.created_at as at, a.slug from app_snippet_copies c join apps a on a.id = c.app_id where c.customer_id = ? order by c.created_at limit 1`, customerId);
  const [current] = await em.getConnection().execute<{ slug: string }[]>(
    `select a.slug from customer_apps ca join apps a on a.id = ca.app_id
      where ca.customer_id = ? and ca.status in ('active', 'activating', 'failed')
      order by ca.status = 'active' desc, ca.activated_at nulls last, a.name limit 1`,
    [customerId],
  );
  const call = await firstWidgetCall(em, customerId, null);
  const [callApp] = call ? await em.getConnection().execute<{ slug: string }[]>('select slug from apps where id = ?', [call.appId]) : [];
  return {
    hasPlan: billing?.has_plan === true,
    planAt: billing?.plan_at ? new Date(billing.plan_at) : null,
    activatedAt: activated.at,
    activatedSlug: activated.slug,
    configuredAt: configured.at,
    configuredSlug: configured.slug,
    snippetAt: snippet.at,
    snippetSlug: snippet.slug,
    firstCallAt: call?.firstCallAt ?? null,
    firstCallSlug: callApp?.slug ?? null,
    currentSlug: current?.slug ?? null,
    includedSlug: await firstIncludedSlug(em, customerId),
  };
}

/** A deprecated app is no place to start. */
async function firstIncludedSlug(em: EntityManager, customerId: string): Promise<string | null> {
  const { entries } = await catalogFor(em, customerId);
  return entries.find((e) => e.includedInPlan && e.app.status !== 'deprecated')?.app.slug ?? null;
}
