import { z } from 'zod';
import { ApiKey } from '../../domain/entities';
import { createApiKey, revokeApiKey } from '../../domain/metering/api-keys';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    appScopes: z.array(z.string()).nullable().meta({ description: 'Null: every app of the brand.' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

const view = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  appScopes: k.appScopes,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

// Strict: a misspelt `appScopes` must not quietly create a key for every app.
const createBody = z
  .object({
    name: z.string().trim().min(1, 'Name the key after where it is used.').max(120),
    appScopes: z.array(z.string().min(1).max(64)).max(50).nullable().optional(),
  })
  .strict();

export const apiKeyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/api-keys',
    summary: "Lists the brand's API keys (never their secrets)",
    tag: 'api-keys',
    access: 'manage',
    responses: {
      200: { description: 'Keys, newest first', schema: z.object({ apiKeys: z.array(apiKeySchema) }) },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const keys = await deps.orm.em.fork().find(ApiKey, { customer: customerIdOf(ctx) }, { orderBy: { createdAt: 'desc' } });
      ctx.body = { apiKeys: keys.map(view) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/api-keys',
    summary: 'Creates an API key; the secret is in this response only (admin only)',
    tag: 'api-keys',
    access: 'administer',
    body: createBody,
    responses: {
      201: { description: 'Created; store `secret` now, it is not shown again', schema: z.object({ apiKey: apiKeySchema, secret: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED (e.g. an unknown app in appScopes)', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const { apiKey, plaintext } = await createApiKey(deps.orm.em.fork(), {
        customerId: customerIdOf(ctx),
        actorId: ctx.state.auth!.id,
        name: body.name,
        appScopes: body.appScopes,
        requestId: ctx.state.requestId,
      });
      ctx.status = 201;
      ctx.body = { apiKey: view(apiKey), secret: plaintext };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/api-keys/:id',
    summary: 'Revokes an API key at once, on every API process (admin only)',
    tag: 'api-keys',
    access: 'administer',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: { description: 'Revoked (again: unchanged)', schema: z.object({ apiKey: apiKeySchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s key', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const apiKey = await revokeApiKey(deps.orm.em.fork(), customerIdOf(ctx), ctx.state.auth!.id, params.id, ctx.state.requestId);
      deps.metering.apiKeys.forget(apiKey.prefix);
      await deps.metering.live.publishInvalidation({ kind: 'api-key', prefix: apiKey.prefix });
      ctx.body = { apiKey: view(apiKey) };
    },
  }),
];
