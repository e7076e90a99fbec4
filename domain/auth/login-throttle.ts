// Slows password guessing without handing attackers a lock they can put on someone else.
//
// Every login attempt is counted in one Redis script BEFORE its password is checked, as if it
// were going to fail, so a burst of parallel attempts cannot slip past a limit; a success then
// gives the count back. Three counts:
// - per IP: at most N failures a minute from one address, whatever the emails (a hard stop,
//   but only the attacker's own address is stopped);
// - per account and IP: after a few free failures, each next try waits, doubling from 1 s up
//   to a cap (the attacker at that IP slows down; the real user elsewhere is untouched);
// - per account, all IPs (a guess spread over many addresses): the same growing delay with a
//   higher allowance and a short cap, skipped by IPs this account logged in from before, so
//   the real user is never made to wait for long, and usually not at all.
// A successful login clears the account's counts: it proves the password.
import { AppError } from '../errors';
import type { RedisClient } from '../infra/redis';

export interface LoginLimits {
  loginFailuresPerIpPerMinute: number;
  perAccountIp: { freeFailures: number; maxDelayMs: number };
  perAccount: { freeFailures: number; maxDelayMs: number };
  signupsPerIpPerHour: number;
}

/** One hash tag: the keys of one attempt are touched by one script, on one cluster slot. */
export const throttleKeys = {
  ip: (ip: string) => `{login}:ip:${ip}`,
  accountIp: (email: string, ip: string) => `{login}:account-ip:${email}|${ip}`,
  account: (email: string) => `{login}:account:${email}`,
  knownIp: (email: string, ip: string) => `{login}:known:${email}|${ip}`,
  signups: (ip: string) => `{login}:signup:${ip}`,
};

const minuteMs = 60_000;
/** A count of failures is forgotten this long after the last one. */
const forgetMs = 24 * 3600 * 1000;
/** An IP the account logged in from skips the account-wide delay for this long. */
const knownIpMs = 30 * 24 * 3600 * 1000;
/** The first delay; each further failure doubles it. */
const baseDelayMs = 1_000;

// KEYS: ip, account-ip, account, known. ARGV: now, ip limit, minute, free and cap per account-ip,
// free and cap per account, base delay, forget after.
const reserveLua = `
local now = tonumber(ARGV[1])
local known = redis.call('EXISTS', KEYS[4]) == 1
local function waitOf(key)
  local nextAt = tonumber(redis.call('HGET', key, 'next') or '0')
  if nextAt > now then return nextAt - now end
  return 0
end
local wait = waitOf(KEYS[2])
if not known then wait = math.max(wait, waitOf(KEYS[3])) end
if wait > 0 then return {'DELAYED', wait} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3])) end
if n > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {'IP_LIMIT', ttl}
end
local function reserve(key, free, cap)
  local f = redis.call('HINCRBY', key, 'failures', 1)
  local delay = 0
  if f >= free then delay = math.min(cap, tonumber(ARGV[8]) * 2 ^ (f - free)) end
  redis.call('HSET', key, 'next', now + delay)
  redis.call('PEXPIRE', key, tonumber(ARGV[9]))
end
reserve(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
if not known then reserve(KEYS[3], tonumber(ARGV[6]), tonumber(ARGV[7])) end
return {'OK', 0}
`;

// KEYS: ip, account-ip, account, known. ARGV: known-IP lifetime.
const releaseLua = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SET', KEYS[4], '1', 'PX', tonumber(ARGV[1]))
return 1
`;

// KEYS: the IP's sign-up counter. ARGV: window. A fixed hour from the first sign-up.
const signupLua = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
return {n, redis.call('PTTL', KEYS[1])}
`;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly limits: LoginLimits,
  ) {}

  private keysOf(email: string, ip: string) {
    return [throttleKeys.ip(ip), throttleKeys.accountIp(email, ip), throttleKeys.account(email), throttleKeys.knownIp(email, ip)];
  }

  /** Counts this attempt as a failure in advance, or refuses it with 429 TOO_MANY_ATTEMPTS. */
  async reserve(email: string, ip: string, now = Date.now()): Promise<void> {
    const { loginFailuresPerIpPerMinute: ipLimit, perAccountIp, perAccount } = this.limits;
    const [verdict, waitMs] = (await this.redis.eval(
      reserveLua, 4, ...this.keysOf(email, ip),
      now, ipLimit, minuteMs, perAccountIp.freeFailures, perAccountIp.maxDelayMs, perAccount.freeFailures, perAccount.maxDelayMs, baseDelayMs, forgetMs,
    )) as [string, number];
    if (verdict === 'OK') return;
    throw new AppError(
      'TOO_MANY_ATTEMPTS',
      verdict === 'IP_LIMIT' ? 'Too many failed logins from your network. Try again in a minute.' : 'Too many failed logins for this account. Wait a moment and try again.',
      { retryAfterSeconds: seconds(waitMs) },
    );
  }

  /** The password was right: give the reservation back and clear the account's counts. */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.redis.eval(releaseLua, 4, ...this.keysOf(email, ip), knownIpMs);
  }

  /** Counts a sign-up from this IP, or refuses it with 429 TOO_MANY_ATTEMPTS. */
  async reserveSignup(ip: string): Promise<void> {
    const [count, ttl] = (await this.redis.eval(signupLua, 1, throttleKeys.signups(ip), 3_600_000)) as [number, number];
    if (count > this.limits.signupsPerIpPerHour) {
      throw new AppError('TOO_MANY_ATTEMPTS', 'Too many sign-ups from your network. Try again later.', { retryAfterSeconds: seconds(ttl) });
    }
  }
}
