// Login and sign-up throttles over HTTP, on an API with production's per-IP login limit and a
// low sign-up limit (the rest of the suite runs with high ones: it signs up hundreds of brands
// from 127.0.0.1). Other files share 127.0.0.1's counters, so each test starts them afresh and
// asserts bounds their traffic can only tighten.
import bcrypt from 'bcryptjs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { throttleKeys } from '../../domain/auth/login-throttle';
import { Customer, User } from '../../domain/entities';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ LOGIN_FAILURES_PER_IP_PER_MINUTE: '20', SIGNUPS_PER_IP_PER_HOUR: '2' });
});
afterAll(() => api.close());

const storedHash = async (email: string) => (await api.deps.orm.em.fork().findOneOrFail(User, { email }, { populate: ['passwordHash'] })).passwordHash;

describe('login', () => {
  it('answers at most 20 failed logins a minute from one IP, even sent at once for 30 emails', async () => {
    await api.deps.redis.del(throttleKeys.ip('127.0.0.1'));
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => new Session(api.url).post('/api/auth/login', { email: uniqueEmail('guess'), password: 'not-the-password' })),
    );
    await api.deps.redis.del(throttleKeys.ip('127.0.0.1'));
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(20);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.every((a) => a.body.error.code === 'TOO_MANY_ATTEMPTS' && Number(a.headers.get('retry-after')) <= 60)).toBe(true);
  });

  it('stores new passwords as argon2id', async () => {
    await api.deps.redis.del(throttleKeys.signups('127.0.0.1'));
    const { user } = await signUp(api.url);
    expect(await storedHash(user.email)).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=1\$/);
  });

  it('still lets in a user whose password was hashed with bcrypt, and replaces the hash with argon2id', async () => {
    const email = uniqueEmail('legacy');
    const em = api.deps.orm.em.fork();
    const customer = em.create(Customer, { name: 'Legacy Optics' });
    em.create(User, { email, name: 'L', role: 'admin', customer, passwordHash: bcrypt.hashSync('legacy-password', 10) });
    await em.flush();

    expect((await new Session(api.url).post('/api/auth/login', { email, password: 'legacy-password' })).status).toBe(200);
    expect(await storedHash(email)).toMatch(/^\$argon2id\$/);
    expect((await new Session(api.url).post('/api/auth/login', { email, password: 'legacy-password' })).status).toBe(200);
  });
});

describe('sign-up', () => {
  it('refuses sign-ups from one IP past the hourly limit with 429 TOO_MANY_ATTEMPTS, creating nothing', async () => {
    await api.deps.redis.del(throttleKeys.signups('127.0.0.1'));
    const emails = [1, 2, 3, 4].map(() => uniqueEmail('burst'));
    const answers = [];
    for (const email of emails) answers.push(await new Session(api.url).post('/api/auth/signup', { brandName: 'Burst Optics', name: 'B', email, password: 'long-enough-pw' }));
    await api.deps.redis.del(throttleKeys.signups('127.0.0.1'));
    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(2);
    const last = answers[3]!;
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await api.deps.orm.em.fork().count(User, { email: emails[3]! })).toBe(0);
  });
});

describe('behind the proxy (production)', () => {
  it('keys the throttle on the address the proxy saw, not on a forged X-Forwarded-For entry', async () => {
    const { listen } = createApp({ ...api.deps, config: { ...api.deps.config, env: 'production' } });
    const server = listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const real = '203.0.113.77';
    await api.deps.redis.del(throttleKeys.ip(real));
    try {
      for (let i = 0; i < 25; i++) {
        // The client forges a fresh leftmost entry each time; nginx appends the address it saw.
        await new Session(url).post('/api/auth/login', { email: uniqueEmail('xff'), password: 'not-the-password' }, { 'x-forwarded-for': `10.9.8.${i}, ${real}` });
      }
      expect(Number(await api.deps.redis.get(throttleKeys.ip(real)))).toBe(20);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await api.deps.redis.del(throttleKeys.ip(real));
    }
  });
});
