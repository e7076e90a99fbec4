// Counts the 4xx answers of /v1/* per API key and IP for the anomaly watch (a Map increment here;
// api/metering/error-counts.ts flushes the sums to Redis once a second). Placed outside the error
// handler, so it sees the status each answer really leaves with.
import type { Middleware } from 'koa';
import type { Deps } from '../deps';
import type { AppState } from '../state';

/** A paused key's refusals are the pause working, not news: counting them would alarm on it again. */
const notCounted = new Set(['API_KEY_PAUSED']);

export function countClientErrors(deps: Deps): Middleware<AppState> {
  return async function countClientErrors(ctx, next) {
    if (!ctx.path.startsWith('/v1/')) return next();
    try {
      await next();
    } finally {
      const status = ctx.status;
      if (status >= 400 && status < 500 && !notCounted.has((ctx.body as { error?: { code?: string } } | undefined)?.error?.code ?? '')) {
        const key = ctx.state.apiKey;
        deps.metering.errors.note(key?.customerId ?? null, key?.id ?? null, ctx.ip, Date.now());
      }
    }
  };
}
