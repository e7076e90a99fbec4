// Whether the brand's storefront has used the app yet, for the Embed panel's live check (polled
// until seen). The fact is recorded by the widget path (api/metering/first-calls.ts).
import { z } from 'zod';
import { catalogEntry } from '../../domain/catalog/catalog-view';
import { firstWidgetCall } from '../../domain/catalog/first-call';
import { AppError } from '../../domain/errors';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const firstCallSchema = z
  .object({
    firstCallAt: z.string().nullable().meta({ description: 'When a publishable key (live or test) first used the app; null before any use.' }),
    origin: z.string().nullable().meta({ description: 'The storefront origin it came from; null before any use, or for a use from before origins were recorded.' }),
    mode: z.enum(['live', 'test']).nullable().meta({ description: "The key's mode; null before any use." }),
  })
  .meta({ id: 'FirstCall' });

export const appFirstCallRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/apps/:slug/first-call',
    summary: 'The first call of the app from the brand’s storefront (a publishable key), if any',
    tag: 'apps',
    access: 'read',
    params: z.object({ slug: z.string().min(1).max(64) }),
    responses: {
      200: { description: 'The first call, or nulls before one', schema: firstCallSchema },
      403: { description: 'FORBIDDEN for operators (no brand)', schema: errorSchema },
      404: { description: 'UNKNOWN_APP, including a beta app this brand may not see', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const found = await catalogEntry(em, customerId, params.slug);
      if (!found) throw new AppError('UNKNOWN_APP', `No app is called "${params.slug}".`, { field: 'params.slug' });
      const first = await firstWidgetCall(em, customerId, found.entry.app.id);
      ctx.body = { firstCallAt: first?.firstCallAt.toISOString() ?? null, origin: first?.origin ?? null, mode: first?.mode ?? null };
    },
  }),
];
