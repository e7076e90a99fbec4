// CSRF defence of the cookie-authenticated API. A browser names the page that caused a request
// in `Origin` (sent on every cross-origin request and on every same-origin non-GET fetch) or,
// when Origin is absent, in `Sec-Fetch-Site`; another site cannot forge either. SameSite=Lax
// already keeps the cookie off cross-site POSTs, but not off same-site ones (a sibling
// subdomain), and a body-less POST needs no JSON content type: this check does not rely on either.
import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors';
import type { AppState } from '../state';

/**
 * `required`: the request must prove it comes from our own pages (routes that act on a session).
 * `refuseCrossSite`: a request that says it comes from another site is refused, one that says
 * nothing passes (login and sign-up: their CSRF would log a victim into the attacker's account,
 * while scripts and curl, which send no Origin, may still call them).
 */
export type SameOriginRule = 'required' | 'refuseCrossSite';

type Verdict = 'same' | 'cross' | 'unknown';

/**
 * Same origin means: the configured public URL of the portal and API (PUBLIC_URL), or the origin
 * this request was addressed to (scheme and Host, which a page on another site cannot choose;
 * behind a proxy, in production only, as the proxy forwarded them).
 */
export function originVerdict(origin: string | undefined, fetchSite: string | undefined, own: readonly string[]): Verdict {
  if (origin) return own.includes(origin.toLowerCase()) ? 'same' : 'cross';
  if (fetchSite) return fetchSite === 'same-origin' ? 'same' : 'cross';
  return 'unknown';
}

/** The origin this request was addressed to (behind a proxy, in production only, as it forwarded it). */
export const requestOrigin = (ctx: { protocol: string; host: string }) => `${ctx.protocol}://${ctx.host}`;

export function sameOrigin(rule: SameOriginRule, publicUrl: string): Middleware<AppState> {
  const configured = new URL(publicUrl).origin.toLowerCase();
  return async function checkSameOrigin(ctx, next) {
    const own = [configured, requestOrigin(ctx).toLowerCase()];
    const verdict = originVerdict(ctx.get('Origin') || undefined, ctx.get('Sec-Fetch-Site') || undefined, own);
    if (verdict === 'cross' || (verdict === 'unknown' && rule === 'required')) {
      throw new AppError('CROSS_SITE_REQUEST', 'This request must come from the portal itself (same-origin Origin header).', {
        origin: ctx.get('Origin') || null,
      });
    }
    return next();
  };
}
