// Sessions live in Redis: the key expires after the idle timeout and every request pushes
// it back, which is the automatic logout. Only a hash of the cookie value is stored.
// Each user's session hashes are also indexed in a set, so that disabling a member or a
// password change can end every session of that user at once; no API process keeps sessions
// in memory (api/session.ts reads Redis and the user row on every request), so a deleted
// key is refused by every process on its next request.
import { createHash, randomBytes } from 'node:crypto';
import { redisKeys, type RedisClient } from '../infra/redis';

export interface SessionData {
  userId: string;
  createdAt: number;
}

/** However active a session is, it ends after this long and the user logs in again. */
export const absoluteLifetimeMs = 12 * 60 * 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly idleMs: number,
  ) {}

  async create(userId: string, now = Date.now()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const data: SessionData = { userId, createdAt: now };
    const hash = hashToken(token);
    // The index first: a session key never exists without its entry, so ending all of a
    // user's sessions cannot miss one created in between. The index outlives every session
    // in it (absolute lifetime); entries of sessions that expired are harmless deletes.
    const index = redisKeys.userSessions(userId);
    await this.redis.sadd(index, hash);
    await this.redis.pexpire(index, absoluteLifetimeMs);
    await this.redis.set(redisKeys.session(hash), JSON.stringify(data), 'PX', this.idleMs);
    return token;
  }

  /** The session if it is alive, touching its idle timer; null if it expired or never was. */
  async touch(token: string, now = Date.now()): Promise<SessionData | null> {
    const key = redisKeys.session(hashToken(token));
    const raw = await this.redis.get(key);
    if (!raw) return null;
    const data = JSON.parse(raw) as SessionData;
    if (now - data.createdAt > absoluteLifetimeMs) {
      await this.redis.del(key);
      return null;
    }
    await this.redis.pexpire(key, this.idleMs);
    return data;
  }

  /**
   * Whether the session still exists, without touching its idle timer: an open event stream
   * asks on each heartbeat, and must not keep an idle tab signed in forever.
   */
  async exists(token: string): Promise<boolean> {
    return (await this.redis.exists(redisKeys.session(hashToken(token)))) === 1;
  }

  async destroy(token: string): Promise<void> {
    await this.redis.del(redisKeys.session(hashToken(token)));
  }

  /**
   * Ends every session of the user but `keepToken`'s (the caller's own, after a password change).
   * One DEL per key: session keys carry no shared hash tag, so on a cluster they sit on
   * different slots and one multi-key DEL would be refused. Returns how many were ended.
   */
  async endAllOf(userId: string, keepToken?: string): Promise<number> {
    const index = redisKeys.userSessions(userId);
    const keep = keepToken ? hashToken(keepToken) : undefined;
    const hashes = (await this.redis.smembers(index)).filter((h) => h !== keep);
    const ended = await Promise.all(hashes.map((h) => this.redis.del(redisKeys.session(h))));
    if (hashes.length > 0) await this.redis.srem(index, ...hashes);
    return ended.reduce((a, b) => a + b, 0);
  }
}
