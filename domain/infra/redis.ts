// One way to build a Redis client: a single node locally, a cluster when seeds are given.
// Every key of one customer carries the hash tag {c:<customerId>} so multi-key Lua scripts
// stay on one cluster slot.
import Redis, { Cluster } from 'ioredis';
import type { Config } from './config';

export type RedisClient = Redis | Cluster;

export function createRedis(config: Pick<Config, 'redis'>, opts: { lazyConnect?: boolean } = {}): RedisClient {
  const common = {
    // Fail fast instead of queueing forever: callers answer 503, they do not hang.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableOfflineQueue: true,
    lazyConnect: opts.lazyConnect ?? false,
    // Auto-pipelining stays off: with scripts (defineCommand) it can crash the process
    // (ioredis#1931) and on a cluster it mis-slots EVALSHA (ioredis#2109).
    enableAutoPipelining: false,
  };
  if (config.redis.clusterNodes.length > 0) {
    const nodes = config.redis.clusterNodes.map((hp) => {
      const [host, port] = hp.split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    return new Redis.Cluster(nodes, { redisOptions: { ...common, ...clusterAuth(config.redis.url) }, enableOfflineQueue: true });
  }
  return new Redis(config.redis.url, common);
}

/**
 * Seeds are bare host:port, so a cluster takes its credentials and TLS from REDIS_URL:
 * one variable says how to talk to Redis, whichever topology sits behind it.
 */
export function clusterAuth(redisUrl: string): { username?: string; password?: string; tls?: object } {
  const url = new URL(redisUrl);
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export const redisKeys = {
  customer: (customerId: string, suffix: string) => `{c:${customerId}}:${suffix}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  /** The event streams a session holds open: a sorted set of stream id → lease end (ms). */
  sessionStreams: (tokenHash: string) => `session-streams:${tokenHash}`,
  /** A set of the token hashes of one user's sessions, so disabling or a password change ends them all. */
  userSessions: (userId: string) => `user-sessions:${userId}`,
};
