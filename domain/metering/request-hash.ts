// A replay must carry the same request: the hash covers the parsed body with keys sorted, so
// a client that re-serialises the same object in another key order is still a replay.
import { hash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** 64 hex characters. The one-shot hash: no Hash object per request (a third of the cost). */
export function requestHash(body: unknown): string {
  return hash('sha256', JSON.stringify(canonical(body)), 'hex');
}
