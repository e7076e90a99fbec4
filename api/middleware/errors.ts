// The only place that knows HTTP error shapes. Every failure leaves as
// { error: { code, message, details, requestId } }; only AppError messages reach clients.
import { NotFoundError } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import { AppError, errorStatus, type ErrorCode } from '../../domain/errors';
import { isDependencyUnavailable } from '../../domain/infra/unavailable';
import type { AppState } from '../state';

/** Errors thrown by koa itself or its body parser carry a status but no code of ours. */
const byHttpStatus: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
  404: { code: 'ROUTE_NOT_FOUND', message: 'No such route.' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'This route does not accept that method.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' },
};

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof NotFoundError) return new AppError('NOT_FOUND', 'Not found.');
  // PostgreSQL or Redis restarting is a state to wait out, not a bug: 503 and when to retry.
  if (isDependencyUnavailable(err)) {
    return new AppError('SERVICE_UNAVAILABLE', 'A service we depend on is unavailable for a moment. Retry shortly; with the same Idempotency-Key nothing is done twice.', { retryAfterSeconds: 1 });
  }
  const status = (err as { status?: number; expose?: boolean }).status;
  if (typeof status === 'number' && byHttpStatus[status]) {
    const known = byHttpStatus[status];
    return new AppError(known.code, known.message);
  }
  return null;
}

/** The JSON error answer of /v1 and /api. */
export interface ErrorAnswer {
  status: number;
  /** Seconds, for the Retry-After header. */
  retryAfter?: string;
  body: { error: { code: ErrorCode; message: string; details: unknown; requestId: string }; testMode?: true };
}

/**
 * What a failure answers, and its log line: the error middleware below and the widget edge
 * (api/edge/consume.ts), which answers /v1/consume outside koa, both answer through it.
 */
export function errorAnswer(err: unknown, state: Pick<AppState, 'requestId' | 'apiKey' | 'log'>): ErrorAnswer {
  const known = toAppError(err);
  const code: ErrorCode = known?.code ?? 'INTERNAL';
  if (!known) state.log.error({ err }, 'unhandled error');
  else if (known !== err && code === 'SERVICE_UNAVAILABLE') state.log.warn({ err }, 'dependency unavailable');
  const retryAfter = known?.details?.retryAfterSeconds;
  return {
    status: errorStatus[code],
    retryAfter: typeof retryAfter === 'number' ? String(retryAfter) : undefined,
    body: {
      error: {
        code,
        message: known?.message ?? 'Something went wrong on our side. It has been logged.',
        details: known?.details,
        requestId: state.requestId,
      },
      // A test key's refusals say so too: every /v1 answer to a test key carries it.
      ...(state.apiKey?.mode === 'test' ? { testMode: true as const } : {}),
    },
  };
}

export const errorHandler: Middleware<AppState> = async function errorHandler(ctx, next) {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new AppError('ROUTE_NOT_FOUND', 'No such route.');
  } catch (err) {
    const answer = errorAnswer(err, ctx.state);
    ctx.status = answer.status;
    if (answer.retryAfter !== undefined) ctx.set('Retry-After', answer.retryAfter);
    ctx.body = answer.body;
  }
};
