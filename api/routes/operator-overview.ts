// The operator landing page's figures (domain/operator/overview.ts) and where to look next.
import { z } from 'zod';
import { operatorOverview, overviewWindowDays } from '../../domain/operator/overview';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const count = z.number().int().nonnegative();

const overviewSchema = z
  .object({
    brands: count,
    brandsPerPlan: z.object({ starter: count, professional: count, enterprise: count, none: count }).meta({ description: '`none`: signed up without a paid plan yet.' }),
    adoption: z
      .array(z.object({ slug: z.string(), name: z.string(), activeBrands: count }))
      .meta({ description: 'Every app of the catalog with the brands that have it active now, most adopted first.' }),
    tokensLast30Days: count.meta({ description: `Tokens consumed by every brand in the last ${overviewWindowDays} days (reconciled uses minus refunds).` }),
    links: z.object({
      temporalUi: z.string().nullable().meta({ description: 'TEMPORAL_UI_URL; null when not configured.' }),
      health: z.string().meta({ description: 'The detailed dependency check.' }),
    }),
  })
  .meta({ id: 'OperatorOverview' });

export const operatorOverviewRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/operator/overview',
    summary: 'Brands, plans, app adoption and recent token use across every brand (operators)',
    tag: 'operator',
    access: 'operate',
    responses: {
      200: { description: 'The overview', schema: overviewSchema },
      401: { description: 'UNAUTHENTICATED', schema: errorSchema },
      403: { description: 'FORBIDDEN: operators only', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const overview = await operatorOverview(deps.orm.em.fork(), new Date());
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { ...overview, links: { temporalUi: deps.config.temporal.uiUrl || null, health: '/api/operator/health' } };
    },
  }),
];
