// Counts the 4xx answers of /v1/* per API key and IP for the anomaly watch (a Map increment here;
// api/metering/error-counts.ts flushes the sums to Redis once a second). Placed outside the error
// handler, so it sees the status each answer really leaves with.
import type { Middleware } from 'koa';
import type { Deps } from '../deps';
import type { ResolvedApiKey } from '../metering/api-key-cache';
import type { AppState } from '../state';

/** A paused key's refusals are the pause working, not news: counting them would alarm on it again. */
const notCounted = new Set(['API_KEY_PAUSED']);

/** Counts one /v1 answer if it is a 4xx worth counting (the middleware below, and the widget edge). */
export function noteClientError(deps: Deps, status: number, body: unknown, apiKey: ResolvedApiKey | undefined, ip: string): void {
  if (status < 400 || status >= 500 || notCounted.has((body as { error?: { code?: string } } | undefined)?.error?.code ?? '')) return;
  deps.metering.errors.note(apiKey?.customerId ?? null, apiKey?.id ?? null, ip, Date.now());
}

export function countClientErrors(deps: Deps): Middleware<AppState> {
  return async function countClientErrors(ctx, next) {
    if (!ctx.path.startsWith('/v1/')) return next();
    try {
      await next();
    } finally {
      noteClientError(deps, ctx.status, ctx.body, ctx.state.apiKey, ctx.ip);
    }
  };
}
