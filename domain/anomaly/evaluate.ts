// One minute's evaluation: every brand with a count that minute, each of its keys, and every IP
// that answered 4xx. Reads the minute's counts and the small stored states, applies rule.ts,
// writes the states back, and returns what opened an episode. Callable with any minute, which
// is how tests replay hours without waiting for them.
import type { RedisClient } from '../infra/redis';
import { anomalyKeys, countFields } from './counts';
import { anomalyRule, floodIsIdle, observeFlood, observeSpike, type Alarm, type AnomalyRule, type Episode, type SpikeState } from './rule';

export interface Finding extends Alarm {
  kind: 'usage-spike' | 'error-flood';
  /** brand: all of a brand's uses; key: one API key's; ip: one address's 4xx, whoever's. */
  scope: 'brand' | 'key' | 'ip';
  customerId: string | null;
  apiKeyId: string | null;
  ip: string | null;
  minute: number;
}

/** States of brands idle this long are dropped by Redis; a brand back after a month starts afresh (with its warm-up). */
const stateTtlSeconds = 30 * 86_400;

const parallelBrands = 16;

const parse = <T>(raw: string | undefined): T | null => (raw ? (JSON.parse(raw) as T) : null);

async function evaluateBrand(redis: RedisClient, customerId: string, minute: number, rule: AnomalyRule): Promise<Finding[]> {
  const [counts, stored] = await Promise.all([redis.hgetall(anomalyKeys.counts(customerId, minute)), redis.hgetall(anomalyKeys.state(customerId))]);
  const findings: Finding[] = [];
  const updates: Record<string, string> = {};
  const drop: string[] = [];
  const base = { customerId, ip: null, minute };
  for (const [field, raw] of Object.entries(counts)) {
    const count = Number(raw);
    if (field === countFields.brandUses) {
      const r = observeSpike(parse<SpikeState>(stored.b), minute, count, rule);
      updates.b = JSON.stringify(r.state);
      if (r.alarm) findings.push({ ...r.alarm, ...base, kind: 'usage-spike', scope: 'brand', apiKeyId: null });
    } else if (field.startsWith('u:')) {
      const keyId = field.slice(2);
      const r = observeSpike(parse<SpikeState>(stored[`k:${keyId}`]), minute, count, rule);
      updates[`k:${keyId}`] = JSON.stringify(r.state);
      if (r.alarm) findings.push({ ...r.alarm, ...base, kind: 'usage-spike', scope: 'key', apiKeyId: keyId });
    } else if (field.startsWith('e:')) {
      const keyId = field.slice(2);
      const r = observeFlood(parse<Episode>(stored[`f:${keyId}`]), minute, count, rule);
      if (floodIsIdle(r.state, minute, rule)) drop.push(`f:${keyId}`);
      else updates[`f:${keyId}`] = JSON.stringify(r.state);
      if (r.alarm) findings.push({ ...r.alarm, ...base, kind: 'error-flood', scope: 'key', apiKeyId: keyId });
    }
  }
  const key = anomalyKeys.state(customerId);
  const p = redis.pipeline();
  if (Object.keys(updates).length > 0) p.hset(key, updates);
  if (drop.length > 0) p.hdel(key, ...drop);
  p.expire(key, stateTtlSeconds);
  await p.exec();
  // A key's spike is the brand's too (one key is often all of it): told once, as the key's,
  // which names it and can be paused. The brand's own alarm is for a spike spread over its keys.
  const keySpike = findings.some((f) => f.kind === 'usage-spike' && f.scope === 'key');
  return keySpike ? findings.filter((f) => !(f.kind === 'usage-spike' && f.scope === 'brand')) : findings;
}

/** IPs: only those over the count, or in an episode, are kept; most minutes write nothing. */
async function evaluateIps(redis: RedisClient, minute: number, rule: AnomalyRule): Promise<Finding[]> {
  const [counts, stored] = await Promise.all([redis.hgetall(anomalyKeys.ipCounts(minute)), redis.hgetall(anomalyKeys.ipState)]);
  const findings: Finding[] = [];
  const updates: Record<string, string> = {};
  const drop: string[] = [];
  for (const ip of new Set([...Object.keys(counts), ...Object.keys(stored)])) {
    const prev = parse<Episode>(stored[ip]);
    const count = Number(counts[ip] ?? 0);
    if (!prev && count <= rule.floodPerMinute) continue;
    const r = observeFlood(prev, minute, count, rule);
    if (floodIsIdle(r.state, minute, rule)) drop.push(ip);
    else updates[ip] = JSON.stringify(r.state);
    if (r.alarm) findings.push({ ...r.alarm, kind: 'error-flood', scope: 'ip', customerId: null, apiKeyId: null, ip, minute });
  }
  if (Object.keys(updates).length > 0) await redis.hset(anomalyKeys.ipState, updates);
  if (drop.length > 0) await redis.hdel(anomalyKeys.ipState, ...drop);
  return findings;
}

export async function evaluateMinute(redis: RedisClient, minute: number, rule: AnomalyRule = anomalyRule): Promise<Finding[]> {
  const customers = await redis.smembers(anomalyKeys.active(minute));
  const findings = await evaluateIps(redis, minute, rule);
  // A few brands at a time: thousands of active brands are a few round trips each, not a stall.
  for (let i = 0; i < customers.length; i += parallelBrands) {
    const batch = await Promise.all(customers.slice(i, i + parallelBrands).map((id) => evaluateBrand(redis, id, minute, rule)));
    for (const f of batch) findings.push(...f);
  }
  return findings;
}

/**
 * Claims a minute for evaluation: of several reconcilers, one evaluates each minute, once, so a
 * baseline never folds the same minute twice.
 */
export async function claimMinute(redis: RedisClient, minute: number): Promise<boolean> {
  return (await redis.set(anomalyKeys.evaluated(minute), '1', 'EX', 6 * 3_600, 'NX')) === 'OK';
}
