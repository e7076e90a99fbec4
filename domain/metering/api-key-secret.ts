// API keys are random, so a fast hash is enough to store them safely (no dictionary to guess
// from), and it keeps the widget path off bcrypt. The prefix finds the row; the hash checks it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const pattern = /^vk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  plaintext: string;
  prefix: string;
  keyHash: string;
}

export function newApiKey(): NewApiKey {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const plaintext = `vk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { plaintext, prefix, keyHash: hashApiKey(plaintext) };
}

export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(plaintext: string): string | null {
  return pattern.exec(plaintext)?.[1] ?? null;
}

export function apiKeyMatches(plaintext: string, keyHash: string): boolean {
  const a = Buffer.from(hashApiKey(plaintext), 'hex');
  const b = Buffer.from(keyHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
