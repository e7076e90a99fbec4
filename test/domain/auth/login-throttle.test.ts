// The login throttle against the real Redis, with chosen IPs and clock.
import { randomUUID } from 'node:crypto';
import { LoginThrottle, type LoginLimits } from '../../../domain/auth/login-throttle';
import { AppError } from '../../../domain/errors';
import { loadConfig } from '../../../domain/infra/config';
import { createRedis, type RedisClient } from '../../../domain/infra/redis';

const limits: LoginLimits = {
  loginFailuresPerIpPerMinute: 20,
  perAccountIp: { freeFailures: 5, maxDelayMs: 15 * 60_000 },
  perAccount: { freeFailures: 20, maxDelayMs: 60_000 },
  signupsPerIpPerHour: 3,
};

let redis: RedisClient;
let throttle: LoginThrottle;
beforeAll(() => {
  redis = createRedis(loadConfig());
  throttle = new LoginThrottle(redis, limits);
});
afterAll(() => redis.quit());

/** Fresh, so parallel files and earlier runs never share a count. */
const email = () => `${randomUUID()}@throttle.example.test`;
const ip = () => `198.51.100.${randomUUID()}`;

/** The wait in ms the throttle asks for, 0 when it lets the attempt through. */
async function waitOf(attempt: Promise<void>): Promise<number> {
  try {
    await attempt;
    return 0;
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'TOO_MANY_ATTEMPTS') throw err;
    return (err.details!.retryAfterSeconds as number) * 1000;
  }
}

describe('per IP', () => {
  it('lets at most 20 attempts a minute through from one IP, whatever the emails, even in one burst', async () => {
    const from = ip();
    const waits = await Promise.all(Array.from({ length: 30 }, () => waitOf(throttle.reserve(email(), from))));
    expect(waits.filter((w) => w === 0)).toHaveLength(20);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
  });

  it('gives a successful login its place back, so the limit counts failures only', async () => {
    const from = ip();
    const who = email();
    for (let i = 0; i < 40; i++) {
      expect(await waitOf(throttle.reserve(who, from))).toBe(0);
      await throttle.succeeded(who, from);
    }
  });
});

describe('per account and IP', () => {
  it('lets five failures through, then makes each next try wait, doubling from one second', async () => {
    const [who, from] = [email(), ip()];
    let now = Date.now();
    for (let i = 0; i < 5; i++) expect(await waitOf(throttle.reserve(who, from, now))).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const wait = await waitOf(throttle.reserve(who, from, now));
      waits.push(wait);
      now += wait;
      expect(await waitOf(throttle.reserve(who, from, now))).toBe(0);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('counts a burst in advance: of 30 parallel tries, five get through', async () => {
    const [who, from] = [email(), ip()];
    const now = Date.now();
    const waits = await Promise.all(Array.from({ length: 30 }, () => waitOf(throttle.reserve(who, from, now))));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });

  it('does not lengthen the wait for tries made during it', async () => {
    const [who, from] = [email(), ip()];
    const now = Date.now();
    for (let i = 0; i < 5; i++) await throttle.reserve(who, from, now);
    for (let i = 0; i < 50; i++) expect(await waitOf(throttle.reserve(who, from, now + 10))).toBeGreaterThan(0);
    expect(await waitOf(throttle.reserve(who, from, now + 1_000))).toBe(0);
  });

  it('never waits longer than the cap', async () => {
    const [who, from] = [email(), ip()];
    let now = Date.now();
    for (let i = 0; i < 40; i++) now += await waitOf(throttle.reserve(who, from, now));
    expect(await waitOf(throttle.reserve(who, from, now))).toBeLessThanOrEqual(15 * 60_000);
  });

  it('leaves the real user on another IP untouched by an attacker on one', async () => {
    const who = email();
    const now = Date.now();
    const attacker = ip();
    for (let i = 0; i < 8; i++) await waitOf(throttle.reserve(who, attacker, now));
    expect(await waitOf(throttle.reserve(who, attacker, now))).toBeGreaterThan(0);
    expect(await waitOf(throttle.reserve(who, ip(), now))).toBe(0);
  });
});

describe('per account, all IPs', () => {
  it('slows a guess spread over many IPs after 20 failures, for a minute at most', async () => {
    const who = email();
    let now = Date.now();
    for (let i = 0; i < 20; i++) expect(await waitOf(throttle.reserve(who, ip(), now))).toBe(0);
    const first = await waitOf(throttle.reserve(who, ip(), now));
    expect(first).toBe(1_000);
    for (let i = 0; i < 20; i++) now += await waitOf(throttle.reserve(who, ip(), now));
    expect(await waitOf(throttle.reserve(who, ip(), now))).toBe(60_000);
  });

  it('lets the user in at once from an IP they logged in from before', async () => {
    const [who, home] = [email(), ip()];
    await throttle.reserve(who, home);
    await throttle.succeeded(who, home);
    const now = Date.now();
    for (let i = 0; i < 25; i++) await waitOf(throttle.reserve(who, ip(), now));
    expect(await waitOf(throttle.reserve(who, ip(), now))).toBeGreaterThan(0);
    expect(await waitOf(throttle.reserve(who, home, now))).toBe(0);
  });

  it('clears the account counts on a successful login', async () => {
    const [who, from] = [email(), ip()];
    const now = Date.now();
    for (let i = 0; i < 5; i++) await throttle.reserve(who, from, now);
    await throttle.succeeded(who, from);
    expect(await waitOf(throttle.reserve(who, from, now))).toBe(0);
  });
});

describe('sign-up', () => {
  it('refuses the sign-ups of one IP past the hourly limit, saying when to retry', async () => {
    const from = ip();
    const waits = await Promise.all(Array.from({ length: 5 }, () => waitOf(throttle.reserveSignup(from))));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
    expect(Math.max(...waits)).toBeLessThanOrEqual(3_600_000);
    expect(await waitOf(throttle.reserveSignup(ip()))).toBe(0);
  });
});
