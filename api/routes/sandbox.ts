// Test mode's sandbox: what test keys spend, refilled on demand by an admin. Never billed.
import { z } from 'zod';
import { readSandbox, refillSandbox } from '../../domain/metering/sandbox';
import { auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

export const sandboxSchema = z
  .object({
    balanceTokens: z.number().int().meta({ description: 'What test keys may still spend.' }),
    startingTokens: z.number().int().positive().meta({ description: 'What a refill sets the balance back to.' }),
    refilledAt: z.string().nullable(),
    apps: z.array(z.object({ app: z.string(), uses: z.number().int(), tokens: z.number().int() })).meta({ description: 'Test uses per app, most tokens first.' }),
  })
  .meta({ id: 'Sandbox' });

export const sandboxRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/sandbox/refill',
    summary: "Refills the brand's test-mode sandbox to its starting amount (admin only; nothing is billed)",
    tag: 'usage',
    access: 'administer',
    responses: {
      200: { description: 'The sandbox after the refill', schema: z.object({ sandbox: sandboxSchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      const starting = deps.metering.settings.sandboxStartingTokens;
      await refillSandbox(deps.redis, customerId, starting, Date.now());
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'sandbox.refilled', target: { type: 'customer', id: customerId }, details: { tokens: starting } });
      ctx.body = { sandbox: await readSandbox(deps.redis, customerId, starting) };
    },
  }),
];
