// Sessions live in Redis: the key expires after the idle timeout and every request pushes
// it back, which is the automatic logout. Only a hash of the cookie value is stored.
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
    await this.redis.set(redisKeys.session(hashToken(token)), JSON.stringify(data), 'PX', this.idleMs);
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

  async destroy(token: string): Promise<void> {
    await this.redis.del(redisKeys.session(hashToken(token)));
  }
}
