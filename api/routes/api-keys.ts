// API keys: publishable (storefronts, by origin) and secret (servers), live and test
// (docs/SECURITY.md). Every change that narrows a key reaches every API process at once through
// the live channel, as revocation does.
import { z } from 'zod';
import { ApiKey } from '../../domain/entities';
import { maxAllowedOrigins, parseOrigin } from '../../domain/metering/allowed-origins';
import { apiKeyLabel } from '../../domain/metering/api-key-secret';
import { resumeApiKey } from '../../domain/anomaly/pause';
import { createApiKey, revokeApiKey, rotateApiKey, updateApiKey } from '../../domain/metering/api-keys';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    kind: z.enum(['publishable', 'secret']),
    mode: z.enum(['live', 'test']),
    /** What the plaintext starts with, for display: `vpk_live_`, `vsk_test_`… (`vk_` for a legacy key). */
    label: z.string().meta({ example: 'vpk_live_' }),
    legacy: z.boolean().meta({ description: 'A vk_ key from before kinds: works as a secret live key; replace it (rotate) with a vsk_ or vpk_ key.' }),
    appScopes: z.array(z.string()).nullable().meta({ description: 'Null: every app of the brand.' }),
    allowedOrigins: z.array(z.string()).meta({ description: 'Publishable keys: the exact origins they work from (none: nowhere). Always empty for secret keys.' }),
    dailyTokenCap: z.number().int().positive().nullable().meta({ description: 'Tokens this key may spend per UTC day; null for no cap.' }),
    publishableKey: z.string().nullable().meta({ description: 'The whole key, for publishable keys only (it is public: it goes in page HTML). Null for secret keys, which are shown once.' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable().meta({ description: 'Set by a rotation: the key is refused from then on.' }),
    revokedAt: z.string().nullable(),
    pausedAt: z.string().nullable().meta({ description: 'Set when the anomaly watch paused the key (the brand pauses keys on anomalies): /v1 answers 403 API_KEY_PAUSED until an admin resumes it.' }),
    pausedReason: z.string().nullable().meta({ description: 'What the watch saw, e.g. "usage-spike: 900 in the minute from …".' }),
  })
  .meta({ id: 'ApiKey' });

const view = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  kind: k.kind,
  mode: k.mode,
  label: k.legacy ? 'vk_' : apiKeyLabel(k.kind, k.mode),
  legacy: k.legacy,
  appScopes: k.appScopes,
  allowedOrigins: k.allowedOrigins,
  dailyTokenCap: k.dailyTokenCap,
  publishableKey: k.kind === 'publishable' ? (k.publishableKey ?? null) : null,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  pausedAt: k.pausedAt?.toISOString() ?? null,
  pausedReason: k.pausedReason ?? null,
});

/** Each origin in canonical form; a bad one is named as body.allowedOrigins.<index>. */
const origins = z
  .array(
    z
      .string()
      .max(300)
      .transform((raw, ctx) => {
        const parsed = parseOrigin(raw);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }
        return parsed.origin;
      }),
  )
  .max(maxAllowedOrigins)
  .meta({ description: 'Exact origins such as https://shop.example (scheme, host, optional port; no path).', example: ['https://shop.example'] });

const appScopes = z.array(z.string().min(1).max(64)).max(50).nullable();
const dailyTokenCap = z.number().int().positive().max(1_000_000_000).nullable().meta({ description: 'Tokens per UTC day; null for no cap.' });

// Strict: a misspelt `appScopes` must not quietly create a key for every app.
const createBody = z
  .object({
    name: z.string().trim().min(1, 'Name the key after where it is used.').max(120),
    kind: z.enum(['publishable', 'secret']).default('secret').meta({ description: 'Omitted: secret, as every key was before kinds existed.' }),
    mode: z.enum(['live', 'test']).default('live').meta({ description: 'test: spends the sandbox, never billed; answers carry testMode: true.' }),
    allowedOrigins: origins.optional(),
    appScopes: appScopes.optional(),
    dailyTokenCap: dailyTokenCap.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'secret' && (b.allowedOrigins?.length ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['allowedOrigins'], message: 'only publishable keys have allowed origins; a secret key is for servers' });
    }
  });

const updateBody = z
  .object({
    name: z.string().trim().min(1, 'Name the key after where it is used.').max(120).optional(),
    allowedOrigins: origins.optional(),
    appScopes: appScopes.optional(),
    dailyTokenCap: dailyTokenCap.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one of name, allowedOrigins, appScopes, dailyTokenCap');

const rotateBody = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(86_400)
      .meta({ description: 'How long the old key keeps working (0: stops at once; at most 30 days). Omitted: one day.' }),
  })
  .strict();

const params = z.object({ id: z.uuid() });

/** A key that now does less (narrowed, expiring, revoked): this process at once, the others through the live channel. */
async function dropCachedKey(deps: Deps, prefix: string): Promise<void> {
  deps.metering.apiKeys.forget(prefix);
  await deps.metering.live.publishInvalidation({ kind: 'api-key', prefix });
}

export const apiKeyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/api-keys',
    summary: "Lists the brand's API keys (never a secret key's secret)",
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
    summary: 'Creates an API key; a secret key is shown in this response only (admin only)',
    tag: 'api-keys',
    access: 'administer',
    body: createBody,
    responses: {
      201: { description: 'Created; `secret` starts with vpk_live_, vpk_test_, vsk_live_ or vsk_test_; store a secret key now, it is not shown again', schema: z.object({ apiKey: apiKeySchema, secret: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'API_KEY_LIMIT_REACHED: the brand holds as many usable keys as it may', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED (an unknown app in appScopes, body.allowedOrigins.N not an origin, origins on a secret key)', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const { apiKey, plaintext } = await createApiKey(deps.orm.em.fork(), {
        customerId: customerIdOf(ctx),
        actorId: ctx.state.auth!.id,
        name: body.name,
        kind: body.kind,
        mode: body.mode,
        allowedOrigins: body.allowedOrigins,
        appScopes: body.appScopes,
        dailyTokenCap: body.dailyTokenCap,
        limit: deps.metering.settings.apiKeysPerBrand,
        requestId: ctx.state.requestId,
      });
      ctx.status = 201;
      ctx.body = { apiKey: view(apiKey), secret: plaintext };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/api-keys/:id',
    summary: "Edits a key's name, allowed origins, apps or daily cap, on every API process at once (admin only)",
    tag: 'api-keys',
    access: 'administer',
    params,
    body: updateBody,
    responses: {
      200: { description: 'Updated', schema: z.object({ apiKey: apiKeySchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s key and a revoked or expired one', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED, naming the field (body.allowedOrigins.N; allowedOrigins on a secret key)', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      const apiKey = await updateApiKey(deps.orm.em.fork(), {
        customerId: customerIdOf(ctx),
        actorId: ctx.state.auth!.id,
        id: params.id,
        ...body,
        requestId: ctx.state.requestId,
      });
      await dropCachedKey(deps, apiKey.prefix);
      ctx.body = { apiKey: view(apiKey) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/api-keys/:id/rotate',
    summary: 'Creates a replacement key with the same settings; the old one keeps working for the overlap, then is refused (admin only)',
    tag: 'api-keys',
    access: 'administer',
    params,
    body: rotateBody,
    responses: {
      201: { description: 'The new key and its secret (shown once for a secret key), and the old key with its expiresAt', schema: z.object({ apiKey: apiKeySchema, secret: z.string(), previous: apiKeySchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s key and a revoked or expired one', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: body.overlapSeconds', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      const { apiKey, plaintext, previous } = await rotateApiKey(deps.orm.em.fork(), {
        customerId: customerIdOf(ctx),
        actorId: ctx.state.auth!.id,
        id: params.id,
        overlapSeconds: body.overlapSeconds,
        requestId: ctx.state.requestId,
      });
      await dropCachedKey(deps, previous.prefix);
      ctx.status = 201;
      ctx.body = { apiKey: view(apiKey), secret: plaintext, previous: view(previous) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/api-keys/:id',
    summary: 'Revokes an API key at once, on every API process (admin only)',
    tag: 'api-keys',
    access: 'administer',
    params,
    responses: {
      200: { description: 'Revoked (again: unchanged)', schema: z.object({ apiKey: apiKeySchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s key', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const apiKey = await revokeApiKey(deps.orm.em.fork(), customerIdOf(ctx), ctx.state.auth!.id, params.id, ctx.state.requestId);
      await dropCachedKey(deps, apiKey.prefix);
      ctx.body = { apiKey: view(apiKey) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/api-keys/:id/resume',
    summary: 'Resumes a key the anomaly watch paused, on every API process at once (admin only)',
    tag: 'api-keys',
    access: 'administer',
    params,
    responses: {
      200: { description: 'Resumed (a key that is not paused: unchanged)', schema: z.object({ apiKey: apiKeySchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s key', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const apiKey = await resumeApiKey(deps.orm.em.fork(), customerIdOf(ctx), ctx.state.auth!.id, params.id, ctx.state.requestId);
      await dropCachedKey(deps, apiKey.prefix);
      ctx.body = { apiKey: view(apiKey) };
    },
  }),
];
