import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('sign-up', () => {
  it('creates the brand and its admin and logs the admin in', async () => {
    const { session, user } = await signUp(api.url, { brandName: 'Lens & Co' });
    expect(user).toMatchObject({ role: 'admin', customerName: 'Lens & Co' });
    const me = await session.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
  });

  it('sets the session cookie HttpOnly and SameSite', async () => {
    const res = await new Session(api.url).post('/api/auth/signup', { brandName: 'Cookie Optics', name: 'C', email: uniqueEmail('c'), password: 'long-enough-pw' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('varai_session='));
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
  });

  it('refuses an email that is already registered, whatever its case', async () => {
    const email = uniqueEmail('dup');
    await signUp(api.url, { email });
    const res = await new Session(api.url).post('/api/auth/signup', { brandName: 'Other', name: 'O', email: email.toUpperCase(), password: 'long-enough-pw' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['a short password', { password: 'short' }, 'body.password'],
    ['a malformed email', { email: 'not-an-email' }, 'body.email'],
    ['a missing brand name', { brandName: undefined }, 'body.brandName'],
  ])('answers 422 naming the field for %s', async (_label, patch, field) => {
    const body = { brandName: 'Valid', name: 'V', email: uniqueEmail('v'), password: 'long-enough-pw', ...patch };
    const res = await new Session(api.url).post('/api/auth/signup', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('login', () => {
  it('logs in the seeded demo admin with the demo password', async () => {
    const res = await new Session(api.url).post('/api/auth/login', { email: 'admin@demo.varai.test', password: demoPassword });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ role: 'admin', customerName: 'Demo Optics' });
  });

  it('answers 401 INVALID_CREDENTIALS for a wrong password without saying which part was wrong', async () => {
    const res = await new Session(api.url).post('/api/auth/login', { email: 'admin@demo.varai.test', password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' });
  });

  it('answers the same 401 for an unknown email', async () => {
    const res = await new Session(api.url).post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'whatever-it-is' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('makes the next try wait after five failed logins, with 429 TOO_MANY_ATTEMPTS and Retry-After, then lets the right password in', async () => {
    const { password, user } = await signUp(api.url);
    const s = new Session(api.url);
    for (let i = 0; i < 5; i++) expect((await s.post('/api/auth/login', { email: user.email, password: 'wrong-password' })).status).toBe(401);
    const waiting = await s.post('/api/auth/login', { email: user.email, password });
    expect(waiting.status).toBe(429);
    expect(waiting.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(waiting.headers.get('retry-after'))).toBe(1);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await s.post('/api/auth/login', { email: user.email, password })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('answers 401 UNAUTHENTICATED without a session cookie', async () => {
    const res = await new Session(api.url).get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('ends the session on logout', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/auth/logout')).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
  });

  it('logs out automatically after the idle timeout and says the session expired', async () => {
    const { session } = await signUp(api.url);
    const token = session.cookie('varai_session')!;
    // Age the session as the idle timeout would: its Redis key expires.
    const { createHash } = await import('node:crypto');
    await api.deps.redis.pexpire(`session:${createHash('sha256').update(token).digest('hex')}`, 1);
    await new Promise((r) => setTimeout(r, 20));
    const res = await session.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('pushes the idle timeout back on every request', async () => {
    const { session } = await signUp(api.url);
    const { createHash } = await import('node:crypto');
    const key = `session:${createHash('sha256').update(session.cookie('varai_session')!).digest('hex')}`;
    await api.deps.redis.pexpire(key, 5_000);
    await session.get('/api/auth/me');
    expect(await api.deps.redis.pttl(key)).toBeGreaterThan(5_000);
  });
});
