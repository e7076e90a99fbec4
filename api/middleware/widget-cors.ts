// CORS for what storefronts call: the widget script and the /v1 API. Any origin may call, because
// the API key in the Authorization header is the credential; no cookie is ever sent or read here.
// Preflight is answered before the router, whose allowedMethods would otherwise refuse OPTIONS.
import type { Middleware } from 'koa';
import type { AppState } from '../state';

const allowHeaders = 'authorization, idempotency-key, content-type';
const allowMethods = 'GET, HEAD, POST, OPTIONS';
const exposeHeaders = 'x-request-id, retry-after';
/** Seconds a browser may reuse a preflight answer. */
const preflightMaxAge = 600;

const isCrossOriginPath = (p: string) => p === '/widget.js' || p.startsWith('/v1/');

export const widgetCors: Middleware<AppState> = async function widgetCors(ctx, next) {
  if (!isCrossOriginPath(ctx.path)) return next();
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Access-Control-Expose-Headers', exposeHeaders);
  if (ctx.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Methods', allowMethods);
    ctx.set('Access-Control-Allow-Headers', allowHeaders);
    ctx.set('Access-Control-Max-Age', String(preflightMaxAge));
    ctx.status = 204;
    return;
  }
  return next();
};
