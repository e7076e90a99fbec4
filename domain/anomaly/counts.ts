// Where anomaly detection counts, and the two writers. Both run off the request path: the
// reconciler counts the debits it has just recorded (the stream entry carries the key id), and
// each API process sums its /v1 4xx answers in memory and flushes them once a second.
//
// Keys (minutes are whole minutes since the epoch; every count lives two hours):
//   {c:<id>}:anomaly:<minute>   hash: `u` the brand's uses, `u:<keyId>` a key's, `e:<keyId>` a key's 4xx
//   {c:<id>}:anomaly:state      hash: `b` the brand's baseline, `k:<keyId>` a key's, `f:<keyId>` a key's flood episode (JSON, rule.ts)
//   {anomaly-ip}:<minute>       hash: ip → 4xx answers (their own tag: an IP belongs to no brand)
//   {anomaly-ip}:state          hash: ip → flood episode, only while one is under way
//   {anomaly}:active:<minute>   set of brands with any count that minute: what the evaluation reads
import type { RedisClient } from '../infra/redis';
import { redisKeys } from '../infra/redis';
import type { DebitEntry } from '../metering/stream-entries';

export const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

const countTtlSeconds = 2 * 3_600;

export const anomalyKeys = {
  counts: (customerId: string, minute: number) => redisKeys.customer(customerId, `anomaly:${minute}`),
  state: (customerId: string) => redisKeys.customer(customerId, 'anomaly:state'),
  ipCounts: (minute: number) => `{anomaly-ip}:${minute}`,
  ipState: '{anomaly-ip}:state',
  active: (minute: number) => `{anomaly}:active:${minute}`,
  /** Set once per evaluated minute, so of several reconcilers one evaluates it. */
  evaluated: (minute: number) => `{anomaly}:evaluated:${minute}`,
};

/** Field names of a brand's minute hash. */
export const countFields = {
  brandUses: 'u',
  keyUses: (keyId: string) => `u:${keyId}`,
  keyErrors: (keyId: string) => `e:${keyId}`,
};

/**
 * Adds newly recorded debits to their minutes (the debit's own time, not the reconciler's).
 * Pass only what the reconciler inserted: a batch read twice after a crash is then counted once.
 */
export async function countUses(redis: RedisClient, customerId: string, entries: DebitEntry[]): Promise<void> {
  const byMinute = new Map<number, Map<string, number>>();
  for (const e of entries) {
    if (e.kind !== 'debit') continue;
    const minute = minuteOf(e.debitedAtMs);
    let fields = byMinute.get(minute);
    if (!fields) byMinute.set(minute, (fields = new Map()));
    fields.set(countFields.brandUses, (fields.get(countFields.brandUses) ?? 0) + 1);
    if (e.apiKeyId) fields.set(countFields.keyUses(e.apiKeyId), (fields.get(countFields.keyUses(e.apiKeyId)) ?? 0) + 1);
  }
  if (byMinute.size === 0) return;
  const p = redis.pipeline();
  for (const [minute, fields] of byMinute) addCounts(p, customerId, minute, fields);
  await p.exec();
}

type Pipeline = ReturnType<RedisClient['pipeline']>;

function addCounts(p: Pipeline, customerId: string, minute: number, fields: Map<string, number>): void {
  const key = anomalyKeys.counts(customerId, minute);
  for (const [field, n] of fields) p.hincrby(key, field, n);
  p.expire(key, countTtlSeconds);
  p.sadd(anomalyKeys.active(minute), customerId);
  p.expire(anomalyKeys.active(minute), countTtlSeconds);
}

/** What one API process counted since its last flush. */
export interface ErrorCounts {
  /** customerId → minute → keyId → 4xx answers. */
  byKey: Map<string, Map<number, Map<string, number>>>;
  /** minute → ip → 4xx answers. */
  byIp: Map<number, Map<string, number>>;
}

export async function flushErrorCounts(redis: RedisClient, counts: ErrorCounts): Promise<void> {
  const p = redis.pipeline();
  for (const [customerId, minutes] of counts.byKey) {
    for (const [minute, keys] of minutes) {
      addCounts(p, customerId, minute, new Map([...keys].map(([keyId, n]) => [countFields.keyErrors(keyId), n])));
    }
  }
  for (const [minute, ips] of counts.byIp) {
    const key = anomalyKeys.ipCounts(minute);
    for (const [ip, n] of ips) p.hincrby(key, ip, n);
    p.expire(key, countTtlSeconds);
  }
  if (p.length > 0) await p.exec();
}
