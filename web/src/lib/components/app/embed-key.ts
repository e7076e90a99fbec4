// Which of the brand's keys the Embed panel shows for an app. Pure, so the choice is plain to read.
import type { ApiKey } from '../../types';

/** Usable now: not revoked, not past a rotation's expiry. */
const usable = (k: ApiKey, nowMs: number) => k.revokedAt === null && (k.expiresAt === null || Date.parse(k.expiresAt) > nowMs);

const covers = (k: ApiKey, slug: string) => k.kind === 'publishable' && (k.appScopes === null || k.appScopes.includes(slug));

/**
 * A publishable key for the app that works from at least one storefront origin. A live key when
 * the app is active (a test key's uses are never billed, so the storefront would not be live),
 * a test key otherwise (a live key is refused until the app is active). Newest first.
 */
export function embedKeyFor(keys: ApiKey[], slug: string, appActive: boolean, nowMs = Date.now()): ApiKey | null {
  const ready = keys.filter((k) => usable(k, nowMs) && covers(k, slug) && k.allowedOrigins.length > 0 && k.publishableKey);
  const newestFirst = [...ready].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const preferred = appActive ? 'live' : 'test';
  return newestFirst.find((k) => k.mode === preferred) ?? newestFirst[0] ?? null;
}

/** A key that covers the app but allows no origin yet (the `widget` key activation creates): one origin makes it usable. */
export function keyWithoutOrigins(keys: ApiKey[], slug: string, nowMs = Date.now()): ApiKey | null {
  return keys.find((k) => usable(k, nowMs) && covers(k, slug) && k.allowedOrigins.length === 0) ?? null;
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The one line a storefront pastes: the widget script, this key, this app. */
export function snippetFor(origin: string, publishableKey: string, slug: string): string {
  return `<script src="${escapeAttribute(origin)}/widget.js" data-varai-key="${escapeAttribute(publishableKey)}" data-varai-app="${escapeAttribute(slug)}" async></script>`;
}
