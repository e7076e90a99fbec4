// The origins a publishable key works from. A browser sends `Origin: scheme://host[:port]`
// (lower-case, default port left out), so an allowed origin is stored in exactly that form and
// compared as a string: no wildcard, no path, no pattern to get wrong.

/** At most this many origins per key: a brand's storefronts, staging sites and local previews. */
export const maxAllowedOrigins = 20;

export type OriginCheck = { ok: true; origin: string } | { ok: false; message: string };

const rule = 'an origin such as https://shop.example: http(s), a host and an optional port, with no path, query or trailing slash';

/** The canonical form of an origin a brand typed, or why it is not one. */
export function parseOrigin(raw: string): OriginCheck {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `not ${rule}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `only http and https origins; expected ${rule}` };
  if (url.username || url.password) return { ok: false, message: `no user or password; expected ${rule}` };
  if (!url.hostname || url.hostname.includes('*')) return { ok: false, message: `no wildcard; expected ${rule}` };
  // URL turns "https://shop.example" into href "https://shop.example/": anything past the origin
  // in the text itself (a path, "/", "?", "#") is refused rather than silently dropped.
  if (text.length > url.origin.length && text.toLowerCase() !== url.origin.toLowerCase()) {
    const rest = text.slice(text.indexOf('//') + 2).replace(/^[^/?#]*/, '');
    if (rest !== '') return { ok: false, message: `no path, query or trailing slash ("${rest}"); expected ${rule}` };
  }
  return { ok: true, origin: url.origin };
}

/** True when the request's Origin header is one of the key's allowed origins. */
export function originAllowed(allowed: readonly string[], requestOrigin: string | undefined): boolean {
  return requestOrigin !== undefined && requestOrigin !== '' && allowed.includes(requestOrigin);
}
