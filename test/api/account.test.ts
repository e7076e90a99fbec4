// A member's own account: changing the password (the old one required; other sessions end,
// this one stays) and the recent sign-ins written by every login attempt.
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const logIn = async (email: string, password: string, userAgent = 'jest') => {
  const s = new Session(api.url);
  const res = await s.request('POST', '/api/auth/login', { email, password }, { 'user-agent': userAgent });
  return { s, res };
};

describe('changing your password', () => {
  it('needs the current password; ends your other sessions, keeps this one, and the new password logs in', async () => {
    const { session, user, password } = await signUp(api.url);
    const other = (await logIn(user.email, password)).s;
    const res = await session.post('/api/account/password', { currentPassword: password, newPassword: 'a-brand-new-password' });
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBe(1);
    expect((await session.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await logIn(user.email, password)).res.status).toBe(401);
    expect((await logIn(user.email, 'a-brand-new-password')).res.status).toBe(200);
  });

  it('refuses a wrong current password with 422 WRONG_PASSWORD on body.currentPassword, changing nothing', async () => {
    const { session, user, password } = await signUp(api.url);
    const res = await session.post('/api/account/password', { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('WRONG_PASSWORD');
    expect(res.body.error.details.fields).toEqual([{ path: 'body.currentPassword', message: expect.any(String) }]);
    expect((await logIn(user.email, password)).res.status).toBe(200);
  });

  it.each([
    [{ currentPassword: '', newPassword: 'a-brand-new-password' }, 'body.currentPassword'],
    [{ currentPassword: 'whatever-it-is', newPassword: 'short' }, 'body.newPassword'],
  ])('refuses %j with 422 on %s', async (body, field) => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/account/password', body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it('refuses without a session with 401 UNAUTHENTICATED', async () => {
    const res = await new Session(api.url).post('/api/account/password', { currentPassword: 'x', newPassword: 'a-brand-new-password' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('slows repeated wrong current passwords with 429 TOO_MANY_ATTEMPTS', async () => {
    const { session } = await signUp(api.url);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await session.post('/api/account/password', { currentPassword: `wrong-${i}-password`, newPassword: 'a-brand-new-password' })).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, 2)).toEqual([422, 422]);
  });
});

describe('recent sign-ins', () => {
  it('lists your own logins, newest first, with the IP, browser and outcome', async () => {
    const { session, user, password } = await signUp(api.url);
    await logIn(user.email, 'wrong-password-here', 'Browser One');
    await logIn(user.email, password, 'Browser Two');
    const res = await session.get('/api/account/sign-ins');
    expect(res.status).toBe(200);
    expect(res.body.signIns.slice(0, 2)).toEqual([
      { at: expect.any(String), ip: expect.any(String), userAgent: 'Browser Two', succeeded: true, failureReason: null },
      { at: expect.any(String), ip: expect.any(String), userAgent: 'Browser One', succeeded: false, failureReason: 'wrong_password' },
    ]);
  });

  it("never shows another member's sign-ins", async () => {
    const a = await signUp(api.url);
    const b = await signUp(api.url);
    await logIn(b.user.email, b.password, 'Only B');
    const res = await a.session.get('/api/account/sign-ins');
    expect(res.body.signIns.map((s: { userAgent: string }) => s.userAgent)).not.toContain('Only B');
  });

  it('refuses without a session with 401', async () => {
    expect((await new Session(api.url).get('/api/account/sign-ins')).status).toBe(401);
  });
});
