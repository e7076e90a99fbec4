// The feature flags that let this brand in (domain/flags/), for the portal to show or hide a
// part of the product. Read from this process's flag table, like the widget path.
import { z } from 'zod';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

export const featureRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/features',
    summary: "The features an operator's flags have rolled out to this brand",
    tag: 'account',
    access: 'read',
    responses: {
      200: { description: 'The targets of the `feature` flags this brand is in, by name', schema: z.object({ features: z.array(z.string()) }) },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      ctx.body = { features: (await deps.metering.flags.featuresOf(customerIdOf(ctx))).sort() };
    },
  }),
];
