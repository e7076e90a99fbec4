// Usage ids are UUIDv7 (RFC 9562): the first 48 bits are the debit's millisecond, so a batch's
// token_usage rows land at the right edge of the primary-key index instead of on random leaf
// pages all over it. With a random (v4) id every insert dirtied a page of an index far larger
// than the buffer cache; ordered ids cost PostgreSQL about 2 µs less per reconciled debit
// (docs/PERFORMANCE.md). The id still carries 74 random bits; the time it shows is the debit's,
// which the answer states anyway.
import { randomUUID } from 'node:crypto';

export function newUsageId(nowMs = Date.now()): string {
  const ms = nowMs.toString(16).padStart(12, '0');
  // A v4 id keeps its random bits and its variant; only the time and the version change.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
