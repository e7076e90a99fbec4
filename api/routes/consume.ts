// The widget path. Everything before the debit is answered from process memory; the debit is
// one Redis script; PostgreSQL sees the use later, through the reconciler.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { requestHash } from '../../domain/metering/request-hash';
import { debit, type DebitOutcome, type DebitRequest } from '../../domain/metering/scripts';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const metadataLimitBytes = 4_096;

export const consumeBody = z.object({
  app: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/, 'an app slug: lower-case letters, digits and dashes').meta({ example: 'virtual-try-on' }),
  sessionId: z.string().min(1).max(128).optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .optional()
    .refine((m) => m === undefined || Buffer.byteLength(JSON.stringify(m)) <= metadataLimitBytes, `at most ${metadataLimitBytes} bytes as JSON`),
});

export const consumeHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'required: one key per use, reused only to retry that use' })
    .min(1)
    .max(255)
    .regex(/^[\x20-\x7E]+$/, 'printable ASCII only'),
});

const consumeResult = z.object({
  usageId: z.uuid(),
  app: z.string(),
  tokens: z.number().int().positive(),
  remainingTokens: z.number().int().nonnegative().nullable().meta({ description: 'Null when the plan is unlimited.' }),
  replayed: z.boolean(),
});

type ConsumeResult = z.infer<typeof consumeResult>;

async function debitOnce(deps: Deps, request: DebitRequest): Promise<DebitOutcome> {
  const first = await debit(deps.redis, request);
  if (first.kind !== 'balance_unknown') return first;
  // Redis lost the balance (flush, restart without AOF, invalidation): rebuild it from the ledger,
  // then try once more. A debit never passes against a balance nobody knows.
  const rebuilt = await deps.metering.rebuilder.rebuild(request.customerId);
  if (rebuilt === 'timeout' || rebuilt === 'refused') return first;
  return debit(deps.redis, { ...request, nowMs: Date.now() });
}

function answer(outcome: DebitOutcome, app: string, usageId: string, costTokens: number, hash: string): ConsumeResult {
  switch (outcome.kind) {
    case 'debited':
      return { usageId, app, tokens: costTokens, remainingTokens: outcome.remainingTokens, replayed: false };
    case 'replayed':
      if (outcome.result.requestHash !== hash) break;
      return { usageId: outcome.result.usageId, app, tokens: outcome.result.tokens, remainingTokens: outcome.result.remainingTokens, replayed: true };
    case 'key_reused':
      break;
    case 'rate_limited':
      throw new AppError('RATE_LIMITED', 'Too many uses this second for this brand. Retry shortly.', { retryAfterSeconds: 1 });
    case 'balance_unknown':
      throw new AppError('BALANCE_UNAVAILABLE', 'The balance is being rebuilt from the ledger. Retry in a moment; nothing was debited.', { retryAfterSeconds: 1 });
    case 'suspended':
      throw new AppError('PAYMENT_REQUIRED', 'This brand’s account is suspended for non-payment. Nothing was debited.');
    case 'insufficient':
      throw new AppError('INSUFFICIENT_TOKENS', 'Not enough tokens for this use. Nothing was debited.', { remainingTokens: outcome.availableTokens, costTokens });
  }
  throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.', { field: 'header.idempotency-key' });
}

export const consumeRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/consume',
    summary: 'Debits the cost of one use of an app (widgets and servers, with an API key)',
    tag: 'metering',
    access: 'apiKey',
    headers: consumeHeaders,
    body: consumeBody,
    responses: {
      200: { description: 'Debited, or the first result of this Idempotency-Key (replayed: true)', schema: consumeResult },
      401: { description: 'INVALID_API_KEY: missing, unknown or revoked', schema: errorSchema },
      402: { description: 'INSUFFICIENT_TOKENS (details: remainingTokens, costTokens) or PAYMENT_REQUIRED (suspended)', schema: errorSchema },
      403: { description: 'APP_NOT_ACTIVE, or KEY_NOT_ALLOWED_FOR_APP', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: same key, different body', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED, naming the field (body.* or header.idempotency-key)', schema: errorSchema },
      429: { description: 'RATE_LIMITED, with Retry-After', schema: errorSchema },
      503: { description: 'BALANCE_UNAVAILABLE while the balance is rebuilt, with Retry-After', schema: errorSchema },
    },
    async handler(ctx, { body, headers }, deps) {
      const key = ctx.state.apiKey!;
      const { metering } = deps;
      const app = await metering.apps.find(body.app);
      if (!app) throw new AppError('UNKNOWN_APP', `No app is called "${body.app}".`, { field: 'body.app' });
      if (key.appScopes && !key.appScopes.includes(app.slug)) {
        throw new AppError('KEY_NOT_ALLOWED_FOR_APP', `This API key is limited to other apps than ${app.slug}.`, { allowedApps: key.appScopes });
      }
      if (!(await metering.activations.isActive(key.customerId, app.id))) {
        throw new AppError('APP_NOT_ACTIVE', `${app.slug} is not active for this brand. Activate it in the portal.`);
      }
      const idempotencyKey = headers['idempotency-key'];
      const hash = requestHash(body);
      const archived = await metering.archive.lookup(key.customerId, idempotencyKey);
      if (archived) {
        ctx.body = answer({ kind: 'replayed', result: archived }, app.slug, archived.usageId, app.costTokens, hash);
        return;
      }
      const usageId = randomUUID();
      const nowMs = Date.now();
      const outcome = await debitOnce(deps, {
        customerId: key.customerId,
        usageId,
        idempotencyKey,
        requestHash: hash,
        appId: app.id,
        appSlug: app.slug,
        costTokens: app.costTokens,
        nowMs,
        idempotencyTtlSeconds: metering.settings.idempotencyTtlSeconds,
        ratePerSecond: metering.settings.ratePerSecond,
        sessionId: body.sessionId,
        metadata: body.metadata,
        apiKeyId: key.id,
      });
      if (outcome.kind === 'debited') metering.noteActivity(key.customerId, nowMs);
      ctx.body = answer(outcome, app.slug, usageId, app.costTokens, hash);
    },
  }),
];
