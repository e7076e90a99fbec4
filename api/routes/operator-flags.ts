// Feature flags, kept by VARAi operators: roll an app or a feature out to a share of brands or a
// list of them, or kill it everywhere. A save reloads this process's flag table and tells every
// other process through the `flags` invalidation (api/metering/flag-table.ts).
import { z } from 'zod';
import { flagKinds } from '../../domain/entities/feature-flag';
import { listFlags, putFlag, type FlagView } from '../../domain/flags/flags';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import type { Deps } from '../deps';

const flagKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, dots, dashes and underscores; at most 64')
  .meta({ example: 'app.virtual-try-on' });

const flagBody = z.object({
  kind: z.enum(flagKinds).meta({ description: '`app`: gates an app of the catalog (target = its slug); `feature`: a part of the product, by name.' }),
  target: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a slug or feature name: lower-case letters, digits, dots, dashes'),
  percentage: z.number().int().min(0).max(100).meta({ description: 'Share of brands let in by their stable bucket (SHA-256 of key and customer id): raising it keeps the brands already in.' }),
  brands: z.array(z.uuid()).max(1000).default([]).meta({ description: 'Customer ids let in whatever the percentage.' }),
  killed: z.boolean().default(false).meta({ description: 'The kill switch: no brand is let in; an app answers 503 APP_DISABLED on /v1 within seconds on every process.' }),
  note: z.string().max(500).default(''),
});

const flagSchema = flagBody
  .extend({
    key: z.string(),
    brands: z.array(z.uuid()),
    killed: z.boolean(),
    note: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable().meta({ description: "The email of the operator who changed it last; null once that user is gone." }),
  })
  .meta({ id: 'FeatureFlag' });

const view = (f: FlagView) => ({ ...f, updatedAt: f.updatedAt.toISOString() });

const forbidden = { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema };

/** This process at once, the others by pub/sub; a lost message is caught by their periodic reload. */
async function spread(deps: Deps): Promise<void> {
  await deps.metering.flags.reload();
  await deps.metering.live.publishInvalidation({ kind: 'flags' });
}

export const operatorFlagRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/operator/flags',
    summary: 'Lists the feature flags',
    tag: 'operator',
    access: 'operate',
    responses: {
      200: { description: 'Every flag, by key', schema: z.object({ flags: z.array(flagSchema) }) },
      403: forbidden,
    },
    async handler(ctx, _input, deps) {
      ctx.body = { flags: (await listFlags(deps.orm.em.fork())).map(view) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/operator/flags/:key',
    summary: 'Creates or replaces a feature flag (audited with the rule before and after)',
    tag: 'operator',
    access: 'operate',
    params: z.object({ key: flagKey }),
    body: flagBody,
    responses: {
      200: { description: 'The flag as saved; `changed` is false for a repeat, which is not audited again', schema: z.object({ flag: flagSchema, changed: z.boolean() }) },
      403: forbidden,
      422: { description: 'VALIDATION_FAILED naming the field: a bad key, an unknown app (body.target), a target another flag holds, an unknown brand (body.brands.<i>)', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      const actor = { userId: ctx.state.auth!.id, requestId: ctx.state.requestId };
      const saved = await putFlag(deps.orm.em.fork(), params.key, body, actor);
      if (saved.changed) await spread(deps);
      ctx.body = { flag: view(saved.flag), changed: saved.changed };
    },
  }),
];
