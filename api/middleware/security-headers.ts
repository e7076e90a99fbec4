// Browser hardening headers on every answer, error answers included (set before anything runs).
// The portal is built by Vite into hashed script and style files with no inline code, so its
// policy allows only files from our own origin; no page of ours may be framed (clickjacking of
// admin actions).
import type { Middleware } from 'koa';
import type { AppState } from '../state';
import { isStorefrontPath } from './widget-cors';

const directives = (d: Record<string, string>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** The portal and every API answer. */
export const portalCsp = directives({
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self'",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

/**
 * The demo storefront page (local mode only) stands for a brand's own page: it loads /widget.js
 * from us, which draws its button with an inline <style> in a shadow root and calls /v1.
 */
export const demoStorefrontCsp = directives({
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
});

/**
 * The portal's live preview of a widget (GET /preview/widget/:slug): the real /widget.js in
 * preview mode, which takes its configuration from the framing portal page by postMessage and
 * calls nothing, so the page may connect nowhere. A photo app's preview runs the photo dialog for
 * real, so it may fetch the face models, and only them (modelsUrl: an absolute folder URL, since a
 * source with a path needs its origin): still never /v1. Only our own portal may frame it.
 */
export const widgetPreviewCsp = (modelsUrl?: string) =>
  directives({
    'default-src': "'none'",
    'script-src': "'self'",
    'style-src': "'unsafe-inline'",
    'img-src': "'none'",
    'connect-src': modelsUrl ?? "'none'",
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'self'",
  });

/** One year; no includeSubDomains, which would bind other hosts of the operator's domain. */
const hstsSeconds = 365 * 24 * 3600;


/** The hardening headers of an answer on `path`; `secure`: the deployment or the request is https. */
export function securityHeaderList(path: string, secure: boolean): [string, string][] {
  // A storefront page embeds the widget's script and calls /v1: those must stay loadable cross-origin.
  const storefront = isStorefrontPath(path);
  const list: [string, string][] = [
    ['Content-Security-Policy', portalCsp],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', storefront ? 'cross-origin' : 'same-origin'],
  ];
  if (!storefront) list.push(['Cross-Origin-Opener-Policy', 'same-origin']);
  if (secure) list.push(['Strict-Transport-Security', `max-age=${hstsSeconds}`]);
  return list;
}

export function securityHeaders(opts: { cookieSecure: boolean }): Middleware<AppState> {
  // Not async: it only sets headers before the rest runs, so it needs no promise frame of its own.
  return function setSecurityHeaders(ctx, next) {
    // Behind TLS (COOKIE_SECURE says the deployment is https, or the request came in over https).
    for (const [name, value] of securityHeaderList(ctx.path, opts.cookieSecure || ctx.secure)) ctx.set(name, value);
    return next();
  };
}
