// How many event streams one session may hold open at once. Each stream costs the API a socket,
// a Redis subscription and a heartbeat timer for as long as the client keeps it, so a script
// with a stolen or its own cookie must not open thousands. Counted in Redis, so every API
// process sees the same count, as leases: a stream whose API process died without closing it
// frees its slot when its lease runs out, since the heartbeat no longer renews it.
import { randomUUID } from 'node:crypto';
import { redisKeys, type RedisClient } from '../infra/redis';
import { hashToken } from './sessions';

/** Tabs of the portal a person keeps open; the portal opens one stream per tab. */
export const maxStreamsPerSession = 4;

/** Drop expired leases, refuse at the limit, else take a slot: one script, so two opens cannot both take the last one. */
const acquireScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export interface StreamSlot {
  /** Pushes the lease on; call it with every heartbeat. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** A slot for one stream of the session, or null when it holds `limit` already. `leaseMs` must outlast a heartbeat. */
export async function acquireStreamSlot(redis: RedisClient, sessionToken: string, leaseMs: number, limit = maxStreamsPerSession, now = Date.now()): Promise<StreamSlot | null> {
  const key = redisKeys.sessionStreams(hashToken(sessionToken));
  const id = randomUUID();
  const taken = await redis.eval(acquireScript, 1, key, now, now + leaseMs, id, limit, leaseMs);
  if (taken !== 1) return null;
  return {
    async renew() {
      await redis.zadd(key, 'XX', Date.now() + leaseMs, id);
      await redis.pexpire(key, leaseMs);
    },
    async release() {
      await redis.zrem(key, id);
    },
  };
}
