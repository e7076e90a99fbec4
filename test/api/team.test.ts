// Team management over HTTP: invitations (mailed through a real SMTP catcher), role changes,
// disabling with the last-admin rule, and every refusal's code.
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { addMember, inviteTokenFrom, mailText } from '../support/team';
import { waitFor } from '../support/wait';

let api: TestApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  api = await startApi({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://portal.example.test' });
});
afterAll(async () => {
  await api.close();
  await smtp.close();
});

const mailTo = (email: string) => waitFor(async () => smtp.mails.find((m) => m.to.includes(email)), (m) => m !== undefined, 10_000);

/** Invites `email` and returns the token from the mail it received. */
async function invite(admin: Session, email: string, role = 'viewer'): Promise<string> {
  const res = await admin.post('/api/team/invitations', { email, role });
  expect(res.status).toBe(201);
  expect(res.body.mailed).toBe(true);
  const mail = await mailTo(email);
  return inviteTokenFrom(mail!.raw);
}

const accept = (token: string, body: unknown = { name: 'New Member', password: 'long-enough-pw' }) => new Session(api.url).post(`/api/invitations/${encodeURIComponent(token)}/accept`, body);

describe('invitations', () => {
  it('mails a link to the portal invite page; the invitee joins with their own password and is logged in', async () => {
    const { session: admin, user } = await signUp(api.url, { brandName: 'Invite Optics' });
    const email = uniqueEmail('invitee');
    const token = await invite(admin, email, 'manager');
    const text = mailText((await mailTo(email))!.raw);
    expect(text).toContain(`https://portal.example.test/#/invite?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const shown = await new Session(api.url).get(`/api/invitations/${token}`);
    expect(shown.body).toEqual({ invitation: { email, role: 'manager', brandName: 'Invite Optics', expiresAt: expect.any(String) } });
    expect(Date.parse(shown.body.invitation.expiresAt) - Date.now()).toBeGreaterThan(71.9 * 3600 * 1000);

    const member = new Session(api.url);
    const joined = await member.post(`/api/invitations/${token}/accept`, { name: 'Nia Newcomer', password: 'long-enough-pw' });
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({ email, role: 'manager', customerId: user.customerId });
    expect((await member.get('/api/auth/me')).status).toBe(200);

    const team = await admin.get('/api/team');
    expect(team.body.members.map((m: { email: string }) => m.email)).toContain(email);
    expect(team.body.invitations).toEqual([]);
  });

  it('stores only a hash of the token', async () => {
    const { session: admin } = await signUp(api.url);
    const token = await invite(admin, uniqueEmail('hashed'));
    const rows = await api.deps.orm.em.getConnection().execute<{ n: string }[]>("select count(*) as n from team_invitations where token_hash = ? or token_hash like '%' || ? || '%'", [token, token.slice(0, 20)]);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('answers a second use of a link with 410 INVITATION_USED', async () => {
    const { session: admin } = await signUp(api.url);
    const token = await invite(admin, uniqueEmail('twice'));
    expect((await accept(token)).status).toBe(201);
    const again = await accept(token);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('INVITATION_USED');
    expect((await new Session(api.url).get(`/api/invitations/${token}`)).body.error.code).toBe('INVITATION_USED');
  });

  it('lets only one of two simultaneous accepts of a link through', async () => {
    const { session: admin } = await signUp(api.url);
    const token = await invite(admin, uniqueEmail('race'));
    const statuses = (await Promise.all([accept(token), accept(token), accept(token)])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 410, 410]);
  });

  it('refuses an accept posted from another site, or with no origin, with 403 CROSS_SITE_REQUEST, leaving the link usable', async () => {
    const { session: admin } = await signUp(api.url);
    const token = await invite(admin, uniqueEmail('csrf'));
    for (const origin of ['https://evil.example', '']) {
      const res = await new Session(api.url).post(`/api/invitations/${token}/accept`, { name: 'Eve', password: 'long-enough-pw' }, { origin });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
    }
    expect((await accept(token)).status).toBe(201);
  });

  it('answers an unknown link with 404 INVITATION_NOT_FOUND', async () => {
    const res = await new Session(api.url).get('/api/invitations/not-a-real-token');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INVITATION_NOT_FOUND');
    expect((await accept('not-a-real-token')).body.error.code).toBe('INVITATION_NOT_FOUND');
  });

  it('answers an expired link with 410 INVITATION_EXPIRED', async () => {
    const { session: admin } = await signUp(api.url);
    const email = uniqueEmail('late');
    const token = await invite(admin, email);
    await api.deps.orm.em.getConnection().execute("update team_invitations set expires_at = now() - interval '1 second' where email = ?", [email]);
    const res = await accept(token);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('INVITATION_EXPIRED');
    expect((await admin.get('/api/team')).body.invitations[0]).toMatchObject({ email, expired: true });
  });

  it('refuses an email that already has an account with 409 EMAIL_TAKEN naming the field', async () => {
    const { session: admin } = await signUp(api.url);
    const other = await signUp(api.url);
    const res = await admin.post('/api/team/invitations', { email: other.user.email, role: 'viewer' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('EMAIL_TAKEN');
    expect(res.body.error.details.fields[0].path).toBe('body.email');
  });

  it('replaces a pending invitation to the same email: the old link stops working', async () => {
    const { session: admin } = await signUp(api.url);
    const email = uniqueEmail('resent');
    const first = await invite(admin, email);
    smtp.mails.splice(0, smtp.mails.length);
    const second = await invite(admin, email);
    expect((await accept(first)).body.error.code).toBe('INVITATION_NOT_FOUND');
    expect((await accept(second)).status).toBe(201);
  });

  it('removes an invitation: its link answers 404, a second removal too', async () => {
    const { session: admin } = await signUp(api.url);
    const email = uniqueEmail('removed');
    const token = await invite(admin, email);
    const { id } = (await admin.get('/api/team')).body.invitations[0];
    expect((await admin.request('DELETE', `/api/team/invitations/${id}`)).status).toBe(204);
    expect((await accept(token)).status).toBe(404);
    const again = await admin.request('DELETE', `/api/team/invitations/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('INVITATION_NOT_FOUND');
  });

  it("does not let one brand remove another brand's invitation", async () => {
    const a = await signUp(api.url);
    const b = await signUp(api.url);
    await invite(a.session, uniqueEmail('mine'));
    const { id } = (await a.session.get('/api/team')).body.invitations[0];
    expect((await b.session.request('DELETE', `/api/team/invitations/${id}`)).status).toBe(404);
    expect((await a.session.get('/api/team')).body.invitations).toHaveLength(1);
  });

  it('answers 201 with mailed=false when the mail server cannot be reached, and keeps the invitation', async () => {
    const offline = await startApi({ SMTP_URL: 'smtp://127.0.0.1:9' });
    try {
      const { session: admin } = await signUp(offline.url);
      const res = await admin.post('/api/team/invitations', { email: uniqueEmail('offline'), role: 'viewer' });
      expect(res.status).toBe(201);
      expect(res.body.mailed).toBe(false);
      expect((await admin.get('/api/team')).body.invitations).toHaveLength(1);
    } finally {
      await offline.close();
    }
  });

  it.each([
    [{ email: 'not-an-email', role: 'viewer' }, 'body.email'],
    [{ email: 'a@example.test', role: 'operator' }, 'body.role'],
    [{ role: 'viewer' }, 'body.email'],
  ])('refuses the invitation %j with 422 on %s', async (body, field) => {
    const { session: admin } = await signUp(api.url);
    const res = await admin.post('/api/team/invitations', body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it("accepts a link with a password alone: the member is known by their email's local part", async () => {
    const { session: admin } = await signUp(api.url);
    const email = uniqueEmail('no-name');
    const res = await accept(await invite(admin, email), { password: 'long-enough-pw' });
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBe(email.split('@')[0]);
  });

  it.each([
    [{ name: 'x'.repeat(201), password: 'long-enough-pw' }, 'body.name'],
    [{ name: 'Short', password: 'short' }, 'body.password'],
  ])('refuses the accept %j with 422 on %s, leaving the link usable', async (body, field) => {
    const { session: admin } = await signUp(api.url);
    const token = await invite(admin, uniqueEmail('bad-accept'));
    const res = await accept(token, body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect((await accept(token)).status).toBe(201);
  });

  it('refuses invitations and their removal to managers and viewers with 403 FORBIDDEN', async () => {
    const { session: admin } = await signUp(api.url);
    for (const role of ['manager', 'viewer'] as const) {
      const email = uniqueEmail(role);
      await addMember(admin, { email, name: role, role, password: 'long-enough-pw' });
      const s = new Session(api.url);
      await s.post('/api/auth/login', { email, password: 'long-enough-pw' });
      const res = await s.post('/api/team/invitations', { email: uniqueEmail('x'), role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect((await s.get('/api/team')).status).toBe(200);
    }
  });
});

describe('members', () => {
  async function brandWithMember(role: 'viewer' | 'manager' | 'admin' = 'viewer') {
    const { session: admin, user } = await signUp(api.url);
    const email = uniqueEmail('member');
    const id = await addMember(admin, { email, name: 'Mo Member', role, password: 'long-enough-pw' });
    const member = new Session(api.url);
    expect((await member.post('/api/auth/login', { email, password: 'long-enough-pw' })).status).toBe(200);
    return { admin, adminId: user.id as string, id, email, member };
  }

  it("changes a member's role, which their next request carries", async () => {
    const b = await brandWithMember('viewer');
    const res = await b.admin.request('PATCH', `/api/team/members/${b.id}`, { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ id: b.id, role: 'manager', disabled: false });
    expect((await b.member.get('/api/auth/me')).body.user.role).toBe('manager');
  });

  it('disables a member: their open session ends at once, their login is refused with 403 ACCOUNT_DISABLED; enable lets them back', async () => {
    const b = await brandWithMember();
    const other = new Session(api.url);
    expect((await other.post('/api/auth/login', { email: b.email, password: 'long-enough-pw' })).status).toBe(200);
    const res = await b.admin.post(`/api/team/members/${b.id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body.member.disabled).toBe(true);
    for (const s of [b.member, other]) expect((await s.get('/api/auth/me')).status).toBe(401);

    const login = await new Session(api.url).post('/api/auth/login', { email: b.email, password: 'long-enough-pw' });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('ACCOUNT_DISABLED');
    expect(login.body.error.message).toMatch(/disabled/);
    // A wrong password still says only that the credentials are wrong.
    expect((await new Session(api.url).post('/api/auth/login', { email: b.email, password: 'wrong-password!' })).body.error.code).toBe('INVALID_CREDENTIALS');

    expect((await b.admin.post(`/api/team/members/${b.id}/enable`)).body.member.disabled).toBe(false);
    expect((await new Session(api.url).post('/api/auth/login', { email: b.email, password: 'long-enough-pw' })).status).toBe(200);
  });

  it("tells the brand's staff of each member change as a security notice (in the portal; by email to those who keep it on)", async () => {
    const b = await brandWithMember('viewer');
    await b.admin.request('PATCH', `/api/team/members/${b.id}`, { role: 'manager' });
    await b.admin.post(`/api/team/members/${b.id}/disable`);
    await b.admin.post(`/api/team/members/${b.id}/enable`);
    const customerId = (await b.admin.get('/api/auth/me')).body.user.customerId;
    const rows = await api.deps.orm.em.getConnection().execute<{ kind: string; body: string }[]>('select kind, body from notifications where customer_id = ? order by created_at', [customerId]);
    expect(rows.map((r) => r.kind)).toEqual(['security.member_role_changed', 'security.member_disabled', 'security.member_enabled']);
    expect(rows[0]!.body).toContain(`${b.email}'s role from viewer to manager`);
    // A request that changes nothing tells no one.
    await b.admin.post(`/api/team/members/${b.id}/enable`);
    expect((await b.admin.get('/api/notifications')).body.notifications.filter((n: { kind: string }) => n.kind.startsWith('security.'))).toHaveLength(3);
  });

  it('ends the sessions of a disabled member on another API process too', async () => {
    const b = await brandWithMember();
    const second = await startApi();
    try {
      const elsewhere = new Session(second.url);
      expect((await elsewhere.post('/api/auth/login', { email: b.email, password: 'long-enough-pw' })).status).toBe(200);
      expect((await elsewhere.get('/api/auth/me')).status).toBe(200);
      expect((await b.admin.post(`/api/team/members/${b.id}/disable`)).status).toBe(200);
      expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('refuses to demote or disable the last active admin with 409 LAST_ADMIN', async () => {
    const b = await brandWithMember('viewer');
    const demote = await b.admin.request('PATCH', `/api/team/members/${b.adminId}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_ADMIN');
    const disable = await b.admin.post(`/api/team/members/${b.adminId}/disable`);
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('LAST_ADMIN');
    expect((await b.admin.get('/api/auth/me')).body.user.role).toBe('admin');
  });

  it('counts a disabled admin as no admin', async () => {
    const b = await brandWithMember('admin');
    expect((await b.admin.post(`/api/team/members/${b.id}/disable`)).status).toBe(200);
    expect((await b.admin.request('PATCH', `/api/team/members/${b.adminId}`, { role: 'viewer' })).body.error.code).toBe('LAST_ADMIN');
  });

  it('lets only one of two admins demote the other when both try at once', async () => {
    const b = await brandWithMember('admin');
    const [first, second] = await Promise.all([
      b.admin.request('PATCH', `/api/team/members/${b.id}`, { role: 'viewer' }),
      b.member.request('PATCH', `/api/team/members/${b.adminId}`, { role: 'viewer' }),
    ]);
    // The loser is refused by the count (409 LAST_ADMIN), or already as a viewer (403).
    expect([first.status, second.status].filter((st) => st === 200)).toHaveLength(1);
    const admin = first.status === 200 ? b.admin : b.member;
    const admins = (await admin.get('/api/team')).body.members.filter((m: { role: string }) => m.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it("answers another brand's member id with 404 MEMBER_NOT_FOUND", async () => {
    const a = await brandWithMember();
    const other = await signUp(api.url);
    for (const res of [
      await other.session.request('PATCH', `/api/team/members/${a.id}`, { role: 'admin' }),
      await other.session.post(`/api/team/members/${a.id}/disable`),
      await other.session.post(`/api/team/members/${a.id}/enable`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('MEMBER_NOT_FOUND');
    }
    expect((await a.member.get('/api/auth/me')).body.user.role).toBe('viewer');
  });

  it('refuses a malformed member id and role with 422 naming the field', async () => {
    const b = await brandWithMember();
    expect((await b.admin.post('/api/team/members/not-a-uuid/disable')).body.error.details.fields[0].path).toBe('params.id');
    expect((await b.admin.request('PATCH', `/api/team/members/${b.id}`, { role: 'operator' })).body.error.details.fields[0].path).toBe('body.role');
  });

  it('refuses member changes to non-admins with 403 FORBIDDEN', async () => {
    const b = await brandWithMember('manager');
    const res = await b.member.post(`/api/team/members/${b.adminId}/disable`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
