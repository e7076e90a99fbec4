// Slows password guessing: after too many failures for one email, logins for it are refused
// for a while, whatever the password. A success clears the count.
import { AppError } from '../errors';
import { redisKeys, type RedisClient } from '../infra/redis';

const maxFailures = 10;
const windowSeconds = 15 * 60;

export async function assertLoginAllowed(redis: RedisClient, email: string): Promise<void> {
  const key = redisKeys.loginFailures(email);
  const failures = Number((await redis.get(key)) ?? 0);
  if (failures >= maxFailures) {
    const ttl = await redis.ttl(key);
    throw new AppError('RATE_LIMITED', 'Too many failed logins for this account. Try again later.', {
      retryAfterSeconds: ttl > 0 ? ttl : windowSeconds,
    });
  }
}

export async function recordLoginFailure(redis: RedisClient, email: string): Promise<void> {
  const key = redisKeys.loginFailures(email);
  const count = await redis.incr(key);
  if (count === 1) await redis.expire(key, windowSeconds);
}

export async function clearLoginFailures(redis: RedisClient, email: string): Promise<void> {
  await redis.del(redisKeys.loginFailures(email));
}
