// Request id, child logger and access log. A caller-supplied X-Request-Id is kept when it
// is sane, so one id follows a request across services.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { AppState } from '../state';

const safeId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * ctx.state, with the child logger made on first use: making it runs the redaction over its
 * bindings, which cost the widget path about 3 % of its CPU for a logger that, at the widget
 * tier's level, never writes. A class rather than a per-request Object.defineProperty, which
 * cost two closures and a slow-mode object per request.
 */
export class RequestState {
  // Private fields: whatever enumerates ctx.state sees the request id and what routes set, not the root logger.
  readonly #root: Logger;
  #log: Logger | undefined;

  constructor(
    root: Logger,
    readonly requestId: string,
  ) {
    this.#root = root;
  }

  get log(): Logger {
    return (this.#log ??= this.#root.child({ requestId: this.requestId }));
  }

  set log(child: Logger) {
    this.#log = child;
  }
}

/** The caller's X-Request-Id when it is sane, else a new one. */
export const requestIdFrom = (incoming: string | undefined): string => (incoming !== undefined && safeId.test(incoming) ? incoming : randomUUID());

/** The access log line of one answer (written only when `info` is on). */
export function logAccess(state: Pick<AppState, 'log'>, line: { method: string; path: string; status: number; started: bigint }): void {
  const ms = Number(process.hrtime.bigint() - line.started) / 1e6;
  state.log.info({ method: line.method, path: line.path, status: line.status, ms: Math.round(ms * 10) / 10 }, 'request');
}

export function requestContext(logger: Logger): Middleware<AppState> {
  return async function requestContextMiddleware(ctx, next) {
    const requestId = requestIdFrom(ctx.get('X-Request-Id'));
    ctx.state = new RequestState(logger, requestId) as unknown as AppState;
    ctx.set('X-Request-Id', requestId);
    // Checked first: at warn (the widget tier) the line is not even built, nor timed.
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      logAccess(ctx.state, { method: ctx.method, path: ctx.path, status: ctx.status, started });
    }
  };
}
