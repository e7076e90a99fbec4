// API keys are random, so a fast hash is enough to store them safely (no dictionary to guess
// from), and it keeps the widget path off bcrypt. The prefix finds the row; the hash checks it.
// The kind and mode are part of the plaintext (`vpk_live_…`, `vsk_test_…`), so a key says what it
// is wherever it is pasted, and the hash covers them: relabelling a key breaks it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type ApiKeyKind = 'publishable' | 'secret';
export type ApiKeyMode = 'live' | 'test';

/** `vk_` keys from before kinds existed: secret and live. */
const pattern = /^(vk|v[ps]k_(?:live|test))_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  plaintext: string;
  prefix: string;
  keyHash: string;
}

/** What the plaintext starts with: `vpk_live_`, `vpk_test_`, `vsk_live_` or `vsk_test_`. */
export function apiKeyLabel(kind: ApiKeyKind, mode: ApiKeyMode): string {
  return `${kind === 'publishable' ? 'vpk' : 'vsk'}_${mode}_`;
}

export function newApiKey(kind: ApiKeyKind, mode: ApiKeyMode): NewApiKey {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const plaintext = `${apiKeyLabel(kind, mode)}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { plaintext, prefix, keyHash: hashApiKey(plaintext) };
}

export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(plaintext: string): string | null {
  return pattern.exec(plaintext)?.[2] ?? null;
}

export function apiKeyMatches(plaintext: string, keyHash: string): boolean {
  const a = Buffer.from(hashApiKey(plaintext), 'hex');
  const b = Buffer.from(keyHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
