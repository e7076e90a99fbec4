// CORS for what storefronts call: the widget script and the /v1 API. No cookie is ever sent or
// read here; the API key in the Authorization header is the credential. A publishable key is
// checked against its own allowed origins by `authorize`, so the answer may be read by any page
// (`*`): that is what lets a refused storefront see ORIGIN_NOT_ALLOWED in its console.
// A secret key is for servers: its answers carry no Access-Control-Allow-Origin, so a browser
// page that embedded one cannot read anything it gets back.
// Preflight is answered before the router, whose allowedMethods would otherwise refuse OPTIONS;
// it carries no key, so it cannot tell the kinds apart, and grants nothing by itself.
import type { Middleware } from 'koa';
import type { ResolvedApiKey } from '../metering/api-key-cache';
import type { AppState } from '../state';

const allowHeaders = 'authorization, idempotency-key, content-type';
const allowMethods = 'GET, HEAD, POST, OPTIONS';
const exposeHeaders = 'x-request-id, retry-after';
/** Seconds a browser may reuse a preflight answer. */
const preflightMaxAge = 600;

/** What storefronts on other origins load: the widget script, the face runtime it imports on demand, and its API. */
export const isStorefrontPath = (p: string) => p === '/widget.js' || p.startsWith('/v1/') || p.startsWith('/widget/');

/**
 * The headers that let a storefront page read an answer: every answer except a secret key's (set
 * by the middleware below and by the widget edge, api/edge/consume.ts).
 */
export const pageReadable = (apiKey: ResolvedApiKey | undefined) => apiKey?.kind !== 'secret';
export const pageReadableHeaders: readonly [string, string][] = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', exposeHeaders],
];

export const widgetCors: Middleware<AppState> = async function widgetCors(ctx, next) {
  if (!isStorefrontPath(ctx.path)) return next();
  if (ctx.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Expose-Headers', exposeHeaders);
    ctx.set('Access-Control-Allow-Methods', allowMethods);
    ctx.set('Access-Control-Allow-Headers', allowHeaders);
    ctx.set('Access-Control-Max-Age', String(preflightMaxAge));
    ctx.status = 204;
    return;
  }
  try {
    await next();
  } finally {
    // Set once the key is known, in finally so a refusal thrown after the key was resolved (a 402,
    // a 429) is no more readable; set-then-remove for every secret key cost the widget path
    // four header operations.
    if (pageReadable(ctx.state.apiKey)) for (const [name, value] of pageReadableHeaders) ctx.set(name, value);
  }
};
