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
    ctx.state.requestId = safeId.test(incoming) ? incoming : randomUUID();
    ctx.state.log = logger.child({ requestId: ctx.state.requestId });
    ctx.set('X-Request-Id', ctx.state.requestId);
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
