// Request id, child logger and access log. A caller-supplied X-Request-Id is kept when it
// is sane, so one id follows a request across services.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { AppState } from '../state';

const safeId = /^[A-Za-z0-9._-]{1,64}$/;

export function requestContext(logger: Logger): Middleware<AppState> {
  return async function requestContextMiddleware(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    const requestId = safeId.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // Made on first use: a child logger runs the redaction over its bindings, which cost the widget
    // path about 3 % of its CPU for a logger that, at the widget tier's level, never writes.
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      configurable: true,
      enumerable: true,
      get: () => (log ??= logger.child({ requestId })),
      set: (child: Logger) => {
        log = child;
      },
    });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Checked first: at warn (the widget tier) the line is not even built.
      if (logger.isLevelEnabled('info')) ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
