// Every Redis key of one customer's metering sits under the hash tag {c:<customerId>}, so the
// debit script touches one cluster slot. Only the activity index is global, and no script uses it.
import { redisKeys } from '../infra/redis';

export const meteringKeys = (customerId: string) => ({
  /** Hash: status, unlimited, burn order, and remaining tokens per grant. Absent means unknown. */
  balance: redisKeys.customer(customerId, 'balance'),
  /** Stream of debits waiting for reconciliation into PostgreSQL. */
  debits: redisKeys.customer(customerId, 'debits'),
  /** The first result of an idempotency key, for fast replays; PostgreSQL keeps it for good. */
  idempotency: (key: string) => redisKeys.customer(customerId, `idem:${key}`),
  /** Set once a debit is refunded, so a retried refund gives nothing back twice. */
  refund: (usageId: string) => redisKeys.customer(customerId, `refund:${usageId}`),
  /** Fixed one-second window counter. */
  rate: (epochSecond: number) => redisKeys.customer(customerId, `rate:${epochSecond}`),
});

/** Sorted set of customers with recent debits (score: last debit, ms), so the reconciler knows whose stream to read. */
export const activeCustomersKey = 'metering:active-customers';

/** Consumer group that turns stream entries into ledger rows. */
export const reconcileGroup = 'reconciler';

/** Pub/sub channels. Plain PUBLISH reaches every node of a cluster, so channels need no hash tag. */
export const meteringChannels = {
  balance: (customerId: string) => `metering:balance:${customerId}`,
  /** API processes drop cached keys and activations named here. */
  invalidate: 'metering:invalidate',
};
