// Every Redis key of one customer's metering sits under the hash tag {c:<customerId>}, so the
// debit script touches one cluster slot. Only the activity index spans customers, and no script uses it.
import { redisKeys } from '../infra/redis';

const keysOf = (customerId: string) => ({
  /** Hash: status, unlimited, burn order, and remaining tokens per grant. Absent means unknown. */
  balance: redisKeys.customer(customerId, 'balance'),
  /** Stream of debits waiting for reconciliation into PostgreSQL. */
  debits: redisKeys.customer(customerId, 'debits'),
  /** The first result of an idempotency key, for fast replays; PostgreSQL keeps it for good. */
  idempotency: (key: string) => redisKeys.customer(customerId, `idem:${key}`),
  /** Bloom filter of every key PostgreSQL holds (idempotency-filter.ts), and how many keys it holds. Absent: unknown. */
  idempotencyFilter: redisKeys.customer(customerId, 'idem-filter'),
  idempotencyFilterCount: redisKeys.customer(customerId, 'idem-filter:n'),
  /** Set once a debit is refunded, so a retried refund gives nothing back twice. */
  refund: (usageId: string) => redisKeys.customer(customerId, `refund:${usageId}`),
  /** Fixed one-second window counter. */
  rate: (epochSecond: number) => redisKeys.customer(customerId, `rate:${epochSecond}`),
  /** A publishable key's visitor windows (fixed, per brand): uses from one IP, and from one widget session. */
  visitorIp: (ip: string, window: number) => redisKeys.customer(customerId, `v:ip:${window}:${ip}`),
  visitorSession: (sessionId: string, window: number) => redisKeys.customer(customerId, `v:s:${window}:${sessionId}`),
  /** Tokens a key spent on one UTC day (days since the epoch). */
  dailyCap: (apiKeyId: string, utcDay: number) => redisKeys.customer(customerId, `cap:${apiKeyId}:${utcDay}`),
  /** Stands in for an admission key a debit does not use, in the same slot as the others. */
  unused: redisKeys.customer(customerId, '-'),
  /** Test mode: the sandbox balance (`tokens`, `refilledAt`) and its uses per app; never billed. */
  sandbox: redisKeys.customer(customerId, 'sandbox'),
  sandboxUsage: redisKeys.customer(customerId, 'sandbox:usage'),
  /** Test uses and refunds of one UTC day (its midnight, ms) by hour, app and key (sandbox-days.ts): test-mode analytics read it. */
  sandboxDay: (dayStartMs: number) => redisKeys.customer(customerId, `sandbox:day:${dayStartMs}`),
  /** Test mode's own idempotency records, rate window and refund markers: a test use never replays a live one. */
  testIdempotency: (key: string) => redisKeys.customer(customerId, `test:idem:${key}`),
  testRate: (epochSecond: number) => redisKeys.customer(customerId, `test:rate:${epochSecond}`),
  testRefund: (usageId: string) => redisKeys.customer(customerId, `test:refund:${usageId}`),
});

export type MeteringKeys = ReturnType<typeof keysOf>;

/**
 * One key set per customer, kept: building it (a dozen strings and closures) on every debit
 * showed in the widget path's profile. Ids come from resolved API keys and the reconciler, not
 * from callers, so a plain bound is enough: past it the set starts afresh.
 */
const cached = new Map<string, MeteringKeys>();
const cachedCustomers = 10_000;

export function meteringKeys(customerId: string): MeteringKeys {
  let keys = cached.get(customerId);
  if (!keys) {
    if (cached.size >= cachedCustomers) cached.clear();
    keys = keysOf(customerId);
    cached.set(customerId, keys);
  }
  return keys;
}

/**
 * Sorted sets of customers with recent debits (score: last debit, ms), so the reconciler knows
 * whose stream to read. Split in parts with their own hash tags: on Redis Cluster the parts sit on
 * different primaries, so the marks of every debit do not all load one shard, and a shard failing
 * over hides only its parts (the reconciler reads the others, and the sweep finds the rest).
 */
export const activeIndexParts = Array.from({ length: 16 }, (_, i) => `metering:active-customers:{a${i}}`);

/** The part a customer is marked in: FNV-1a of its id, so the same customer always lands in the same part. */
export function activeCustomersKey(customerId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i += 1) h = Math.imul(h ^ customerId.charCodeAt(i), 0x01000193);
  return activeIndexParts[(h >>> 0) % activeIndexParts.length]!;
}

/**
 * The consumer group releases before this one read streams through. Nothing reads through it
 * now (stream-entries.ts); a balance load drops it from a stream that still has one.
 */
export const legacyReconcileGroup = 'reconciler';

/** Pub/sub channels. Plain PUBLISH reaches every node of a cluster, so channels need no hash tag. */
export const meteringChannels = {
  balance: (customerId: string) => `metering:balance:${customerId}`,
  /** API processes drop cached keys and activations named here. */
  invalidate: 'metering:invalidate',
};
