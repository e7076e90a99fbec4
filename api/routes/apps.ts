import { z } from 'zod';
import { appUsage, recentUsageDays } from '../../domain/catalog/app-usage';
import { settingsJsonSchema, settingsSchemaFor } from '../../domain/catalog/app-settings';
import { appCategories, goodForOf } from '../../domain/catalog/apps';
import { matchesFilter } from '../../domain/catalog/catalog-filter';
import { catalogEntry, catalogFor, type CatalogEntry } from '../../domain/catalog/catalog-view';
import { planRank } from '../../domain/billing/vocabulary';
import { activationStatuses } from '../../domain/entities/customer-app';
import { AppError } from '../../domain/errors';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { appSchema, errorSchema } from '../schemas/common';

const listQuery = z.object({
  q: z.string().trim().max(100).optional().meta({ description: 'Case-insensitive; every word must appear in the name, description or category.' }),
  category: z.enum(appCategories).optional(),
  status: z.enum(activationStatuses).optional().meta({ description: "This brand's activation state; an app never activated is `inactive`. Ignored for operators." }),
});

const planSchema = z.enum(planRank).nullable().meta({ description: "The brand's current plan; null without one, or for an operator." });

const count = z.number().int().nonnegative();
const usageSchema = z.object({ uses: count, tokens: count, last30Days: z.object({ uses: count, tokens: count }) });

const appDetailSchema = appSchema
  .extend({
    goodFor: z.array(z.string()).meta({ description: 'What the app is good for: 2–4 concrete benefits, for its page; empty for an app the code does not describe.' }),
    usage: usageSchema.nullable().meta({ description: `Reconciled uses by this brand, in all and in the last ${recentUsageDays} days; null for an operator.` }),
    configuration: z.record(z.string(), z.unknown()).nullable().meta({ description: "This brand's configuration of the app, `{}` until set; null for an operator." }),
    configurationSchema: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "JSON Schema (draft 2020-12) of the app's settings, also for operators; null for an app row the code defines no settings for." }),
  })
  .meta({ id: 'AppDetail' });

const schemaOf = (slug: string) => (settingsSchemaFor(slug) ? settingsJsonSchema(slug) : null);

const availabilities = { open: 'available', killed: 'disabled', not_released: 'not_released' } as const;

/** From this process's flag table; an operator (no brand) sees only the kill switch. */
async function availabilityOf(deps: Deps, slug: string, customerId: string | null) {
  if (customerId === null) return (await deps.metering.flags.appKilled(slug)) ? 'disabled' : 'available';
  return availabilities[await deps.metering.flags.appGate(slug, customerId)];
}

const view = (e: CatalogEntry, availability: 'available' | 'disabled' | 'not_released') => ({
  slug: e.app.slug,
  name: e.app.name,
  description: e.app.description,
  category: e.app.category,
  status: e.app.status,
  costTokens: e.app.costTokens,
  requiredPlan: e.requiredPlan,
  includedInPlan: e.includedInPlan,
  activation: e.activation && { ...e.activation, activatedAt: e.activation.activatedAt?.toISOString() ?? null },
  availability,
});

export const appRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/apps',
    summary: 'Lists the app catalog, with this brand’s plan entitlement and activations',
    tag: 'apps',
    access: 'read',
    query: listQuery,
    responses: {
      200: { description: 'The matching apps, by name', schema: z.object({ plan: planSchema, apps: z.array(appSchema) }) },
      422: { description: 'VALIDATION_FAILED: an unknown category or status, or a search over 100 characters', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const customerId = ctx.state.auth!.customerId;
      const { plan, entries } = await catalogFor(deps.orm.em.fork(), customerId);
      const shown = entries.filter((e) => matchesFilter(e, query));
      const apps = await Promise.all(shown.map(async (e) => view(e, await availabilityOf(deps, e.app.slug, customerId))));
      ctx.body = { plan, apps };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/apps/:slug',
    summary: 'One app of the catalog, with this brand’s activation, configuration and usage',
    tag: 'apps',
    access: 'read',
    params: z.object({ slug: z.string() }),
    responses: {
      200: { description: 'The app', schema: z.object({ plan: planSchema, app: appDetailSchema }) },
      404: { description: 'UNKNOWN_APP, including a beta app this brand may not see', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const em = deps.orm.em.fork();
      const customerId = ctx.state.auth!.customerId;
      const found = await catalogEntry(em, customerId, params.slug);
      if (!found) throw new AppError('UNKNOWN_APP', `No app is called "${params.slug}".`, { field: 'params.slug' });
      const usage = customerId === null ? null : await appUsage(em, customerId, found.entry.app.id, new Date());
      ctx.body = { plan: found.plan, app: { ...view(found.entry, await availabilityOf(deps, params.slug, customerId)), goodFor: [...goodForOf(found.entry.app.slug)], usage, configuration: found.entry.configuration, configurationSchema: schemaOf(found.entry.app.slug) } };
    },
  }),
];
