import { z } from 'zod';
import { readConfiguration, reasonMaxLength, rollbackConfiguration, saveConfiguration } from '../../domain/app-configuration';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const params = z.object({ slug: z.string().min(1).max(64) });

const configurationSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "The app's settings; their JSON Schema is `schema` in GET /api/apps/{slug}/configuration." });

// Each app has its own settings, so the body is checked against the app's schema in the domain.
// An empty object is refused here: it would silently reset every setting, and a client that
// means to reset can send the defaults it reads from GET.
const putBody = configurationSchema.refine((c) => Object.keys(c).length > 0, 'Send the configuration; to reset it, send the defaults.');

// The portal's save: the settings and, beside them, why. PUT keeps its raw-settings body for the
// clients already written against it; a reason there would have to be a header or a reserved key,
// and a key would collide with a future setting of that name.
const versionBody = z
  .object({
    configuration: putBody,
    why: z
      .string()
      .trim()
      .max(reasonMaxLength, `Use at most ${reasonMaxLength} characters.`)
      .optional()
      .meta({ description: 'Why the configuration changed; kept with the version and shown in the history. Blank is the same as absent.', example: 'Match the new brand colours' }),
  })
  .strict();

const rollbackBody = z.object({ version: z.number().int().positive() }).strict();

const savedSchema = z.object({ configuration: configurationSchema, version: z.number().int().positive() });
const savedWithReason = savedSchema.extend({ reason: z.string().nullable() });

const viewSchema = z.object({
  configuration: configurationSchema,
  version: z.number().int().nonnegative().meta({ description: '0 until the first save; the configuration is then the defaults.' }),
  schema: z.record(z.string(), z.unknown()).meta({ description: "JSON Schema (draft 2020-12) of the app's settings." }),
  history: z
    .array(
      z.object({
        version: z.number().int().positive(),
        configuration: configurationSchema,
        changedBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
        reason: z.string().nullable().meta({ example: 'rollback to v3' }),
        createdAt: z.string(),
      }),
    )
    .meta({ description: 'Newest first, the latest 100 versions.' }),
});

const unknownApp = { description: 'UNKNOWN_APP', schema: errorSchema };

/** This process at once (the next widget read must see the save), the others through the live channel. */
async function dropWidgetConfig(deps: Deps, customerId: string): Promise<void> {
  deps.metering.widgetConfigs.forget(customerId);
  await deps.metering.live.publishInvalidation({ kind: 'configuration', customerId });
}

type SaveInput = Pick<Parameters<typeof saveConfiguration>[1], 'configuration' | 'reason' | 'location'>;

/** Both ways of saving (PUT's raw settings, POST …/versions with a why) make the same new version. */
async function save(ctx: AppContext, deps: Deps, slug: string, input: SaveInput) {
  const customerId = customerIdOf(ctx);
  const saved = await saveConfiguration(deps.orm.em.fork(), { customerId, actorId: ctx.state.auth!.id, slug, requestId: ctx.state.requestId, ...input });
  await dropWidgetConfig(deps, customerId);
  return saved;
}

export const appConfigurationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/apps/:slug/configuration',
    summary: "Shows the brand's configuration of an app, its settings schema and its version history",
    tag: 'apps',
    access: 'read',
    params,
    responses: {
      200: { description: 'Current configuration (defaults at version 0) and history', schema: viewSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
      404: unknownApp,
    },
    async handler(ctx, { params }, deps) {
      ctx.body = await readConfiguration(deps.orm.em.fork(), customerIdOf(ctx), params.slug);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/apps/:slug/configuration',
    summary: 'Saves a new version of the configuration of an app (fields left out take their defaults)',
    tag: 'apps',
    access: 'manage',
    params,
    body: putBody,
    responses: {
      200: { description: 'Saved as the next version', schema: savedSchema },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
      404: unknownApp,
      422: { description: 'VALIDATION_FAILED, naming each bad field as body.<path>', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      ctx.body = await save(ctx, deps, params.slug, { configuration: body });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/apps/:slug/configuration/versions',
    summary: 'Saves a new version of the configuration of an app with a note saying why (fields left out take their defaults)',
    tag: 'apps',
    access: 'manage',
    params,
    body: versionBody,
    responses: {
      201: { description: 'Saved as the next version', schema: savedWithReason },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
      404: unknownApp,
      422: { description: 'VALIDATION_FAILED, naming each bad setting as body.configuration.<path>, or body.why', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      const reason = body.why || undefined;
      const saved = await save(ctx, deps, params.slug, { configuration: body.configuration, reason, location: 'body.configuration' });
      ctx.status = 201;
      ctx.body = { ...saved, reason: reason ?? null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/apps/:slug/configuration/rollback',
    summary: 'Restores an earlier configuration version, as a new version',
    tag: 'apps',
    access: 'manage',
    params,
    body: rollbackBody,
    responses: {
      200: { description: 'Saved as the next version, equal to the one named', schema: savedSchema },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
      404: { description: 'UNKNOWN_APP, or NOT_FOUND for a version this app never had', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      ctx.body = await rollbackConfiguration(deps.orm.em.fork(), {
        customerId: customerIdOf(ctx),
        actorId: ctx.state.auth!.id,
        slug: params.slug,
        version: body.version,
        requestId: ctx.state.requestId,
      });
      await dropWidgetConfig(deps, customerIdOf(ctx));
    },
  }),
];
