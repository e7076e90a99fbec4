import { z } from 'zod';
import { App } from '../../domain/entities';
import { appSchema } from '../schemas/common';
import { defineRoute } from '../route';

export const appRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/apps',
    summary: 'Lists the app catalog',
    tag: 'apps',
    access: 'read',
    responses: { 200: { description: 'The catalog, by name', schema: z.object({ apps: z.array(appSchema) }) } },
    async handler(ctx, _input, deps) {
      // The catalog tolerates replica lag, so it may be read from a replica.
      const apps = await deps.orm.em.fork().find(App, {}, { orderBy: { name: 'asc' }, connectionType: 'read' });
      ctx.body = {
        apps: apps.map((a) => ({ slug: a.slug, name: a.name, description: a.description, category: a.category, status: a.status, costTokens: a.costTokens })),
      };
    },
  }),
];
