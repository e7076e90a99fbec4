// The widget path. Everything before the debit is answered from process memory; the debit is
// one Redis script; PostgreSQL sees the use later, through the reconciler, and is asked first
// only about a key the brand's idempotency filter may hold (an old key's retry, or no filter).
import { z } from 'zod';
import { requestHash } from '../../domain/metering/request-hash';
import type { DebitOutcome } from '../../domain/metering/scripts';
import { newUsageId } from '../../domain/metering/usage-id';
import { admissionOf, debitForKey, outOfTokensDescription, payableApp, refusal, refusalContext, testModeOf, type RefusalContext } from '../metering/charge';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import type { AppState } from '../state';

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
  testMode: z.literal(true).optional().meta({ description: 'Present on every answer to a test key (vpk_test_, vsk_test_): debited from the sandbox, never billed.' }),
});

type ConsumeResult = z.infer<typeof consumeResult>;
interface ConsumeInput {
  body: z.output<typeof consumeBody>;
  headers: z.output<typeof consumeHeaders>;
}

function answer(outcome: DebitOutcome, app: string, usageId: string, costTokens: number, hash: string, context?: RefusalContext): ConsumeResult {
  const refused = refusal(outcome, costTokens, context);
  if (refused) throw refused;
  if (outcome.kind === 'replayed') {
    if (outcome.result.requestHash !== hash) throw refusal({ kind: 'key_reused' }, costTokens)!;
    return { usageId: outcome.result.usageId, app, tokens: outcome.result.tokens, remainingTokens: outcome.result.remainingTokens, replayed: true };
  }
  return { usageId, app, tokens: costTokens, remainingTokens: outcome.kind === 'debited' ? outcome.remainingTokens : null, replayed: false };
}

/**
 * One use of an app, for a key already admitted (`state.apiKey`): this route's handler, and the
 * widget edge's (api/edge/consume.ts), which answers the same requests outside koa.
 */
export async function consume(deps: Deps, state: AppState, ip: string, { body, headers }: ConsumeInput): Promise<ConsumeResult> {
  const key = state.apiKey!;
  const { metering } = deps;
  const app = await payableApp(deps, key, body.app, 'body.app');
  const idempotencyKey = headers['idempotency-key'];
  const hash = requestHash(body);
  const usageId = newUsageId();
  const nowMs = Date.now();
  const outcome = await debitForKey(deps, key, {
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
    admission: admissionOf(deps, key, ip, body.sessionId),
  });
  if (outcome.kind === 'debited' && key.mode === 'live') metering.noteActivity(key.customerId, nowMs);
  const result = { ...answer(outcome, app.slug, usageId, app.costTokens, hash, refusalContext(deps, key)), ...testModeOf(key) };
  metering.firstCalls.note(key, app.id, state.keyOrigin ?? null, () => state.log);
  return result;
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
      401: { description: 'INVALID_API_KEY: missing, unknown, revoked or expired', schema: errorSchema },
      402: { description: outOfTokensDescription, schema: errorSchema },
      403: { description: 'APP_NOT_ACTIVE, APP_NOT_RELEASED (outside its rollout), KEY_NOT_ALLOWED_FOR_APP, or ORIGIN_NOT_ALLOWED (a publishable key from an origin it does not allow, or with none)', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: same key, different body', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED, naming the field (body.* or header.idempotency-key)', schema: errorSchema },
      429: { description: 'RATE_LIMITED (the brand, per second), VISITOR_RATE_LIMITED (a publishable key, per IP or widget session) or DAILY_CAP_REACHED (the key, until 00:00 UTC); all with Retry-After', schema: errorSchema },
      503: { description: 'APP_DISABLED while an operator has switched the app off (nothing debited), BALANCE_UNAVAILABLE while the balance is rebuilt, SERVICE_UNAVAILABLE while PostgreSQL or Redis cannot be reached; both with Retry-After', schema: errorSchema },
    },
    async handler(ctx, input, deps) {
      ctx.body = await consume(deps, ctx.state, ctx.ip, input);
    },
  }),
];
