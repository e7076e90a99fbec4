// The AI gateway: one paid run of an app, with the same key and idempotency rules as /v1/consume.
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import {
  builtInEngines,
  catalogEngines,
  faceLandmarksInputSchema,
  isBuiltInEngineSlug,
  isPhotoInput,
  photoRefusal,
  sampleCatalog,
  type FrameCatalog,
} from '../../domain/engines';
import { requestHash } from '../../domain/metering/request-hash';
import { runApp } from '../gateway/run-app';
import { outOfTokensDescription, payableApp } from '../metering/charge';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { consumeHeaders } from './consume';

const inputLimitBytes = 16_384;

const runBody = z.object({
  input: z
    .record(z.string(), z.unknown())
    .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= inputLimitBytes, `at most ${inputLimitBytes} bytes as JSON`)
    .meta({ description: "The app's input; the built-in engines document theirs in domain/engines/README.md." }),
  sessionId: z.string().min(1).max(128).optional(),
});

const runResult = z.object({
  runId: z.uuid(),
  app: z.string(),
  tokens: z.number().int().positive(),
  remainingTokens: z.number().int().nonnegative().nullable(),
  result: z.unknown(),
  replayed: z.boolean(),
  testMode: z.literal(true).optional().meta({ description: 'Present on every answer to a test key: paid from the sandbox, never billed.' }),
});

/**
 * A shopper's photo with no face, several, or too small a face gets its own code and a message the
 * widget shows as is; the landmarks alone decide, so nothing is debited for a photo to retake.
 */
function refusePhoto(input: unknown): void {
  if (!isPhotoInput(input)) return;
  const landmarks = faceLandmarksInputSchema.safeParse(input.landmarks);
  const refusal = landmarks.success ? photoRefusal(landmarks.data) : null;
  if (refusal) throw new AppError(refusal.code, refusal.message, { field: 'body.input.landmarks' });
}

/** Bad input is refused before anything is debited, naming the field under body.input. */
function checkInput(slug: string, input: unknown, catalog: FrameCatalog, upstream: boolean): void {
  if (!isBuiltInEngineSlug(slug)) return;
  // Whoever answers, a photo without one usable face is refused: a retake is never charged.
  refusePhoto(input);
  // An upstream that replaces a built-in engine has its own input contract.
  if (upstream) return;
  const parsed = builtInEngines[slug].schemaFor(catalog).safeParse(input);
  if (parsed.success) return;
  throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
    fields: parsed.error.issues.map((i) => ({ path: ['body', 'input', ...i.path.map(String)].join('.'), message: i.message })),
  });
}

export const runAppRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/apps/:slug/run',
    summary: 'Runs an app and charges its cost; a failed run is refunded (widgets and servers, with an API key)',
    tag: 'metering',
    access: 'apiKey',
    headers: consumeHeaders,
    params: z.object({ slug: z.string().min(1).max(64) }),
    body: runBody,
    responses: {
      200: { description: 'The result, or the first result of this Idempotency-Key (replayed: true)', schema: runResult },
      401: { description: 'INVALID_API_KEY', schema: errorSchema },
      402: { description: outOfTokensDescription, schema: errorSchema },
      403: { description: 'APP_NOT_ACTIVE, APP_NOT_RELEASED (outside its rollout), KEY_NOT_ALLOWED_FOR_APP or ORIGIN_NOT_ALLOWED', schema: errorSchema },
      404: { description: 'UNKNOWN_APP', schema: errorSchema },
      409: { description: 'IDEMPOTENCY_KEY_REUSED, or RUN_IN_PROGRESS for a key whose first run has not finished', schema: errorSchema },
      422: {
        description:
          'VALIDATION_FAILED, naming the field (body.input.* for an engine input); for a photo input (input.landmarks) FACE_NOT_FOUND, MULTIPLE_FACES or PHOTO_TOO_SMALL with a message for the shopper; nothing debited',
        schema: errorSchema,
      },
      429: { description: 'RATE_LIMITED, VISITOR_RATE_LIMITED or DAILY_CAP_REACHED, with Retry-After; nothing debited', schema: errorSchema },
      502: { description: 'UPSTREAM_FAILED; details.refunded is true', schema: errorSchema },
      503: { description: 'APP_DISABLED (an operator switched the app off; nothing debited), UPSTREAM_NOT_CONFIGURED (refunded), UPSTREAM_UNAVAILABLE (circuit open, nothing debited) or BALANCE_UNAVAILABLE', schema: errorSchema },
      504: { description: 'UPSTREAM_TIMEOUT; details.refunded is true', schema: errorSchema },
    },
    async handler(ctx, { body, headers, params }, deps) {
      const key = ctx.state.apiKey!;
      const app = await payableApp(deps, key, params.slug, 'params.slug');
      // The brand's own frames when it uploaded some, else the sample; from memory, not PostgreSQL.
      const catalog = catalogEngines.has(app.slug) ? await deps.metering.frames.get(key.customerId) : sampleCatalog;
      checkInput(app.slug, body.input, catalog, deps.config.gateway.upstreamUrls[app.slug] !== undefined);
      ctx.body = await runApp(deps, {
        key,
        app,
        idempotencyKey: headers['idempotency-key'],
        requestHash: requestHash({ app: app.slug, input: body.input, sessionId: body.sessionId }),
        input: body.input,
        sessionId: body.sessionId,
        ip: ctx.ip,
        catalog,
      });
      deps.metering.firstCalls.note(key, app.id, ctx.state.keyOrigin ?? null, () => ctx.state.log);
    },
  }),
];
