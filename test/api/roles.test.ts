import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function loginAs(email: string) {
  const s = new Session(api.url);
  const res = await s.post('/api/auth/login', { email, password: demoPassword });
  expect(res.status).toBe(200);
  return s;
}

const newInvite = (role: string) => ({ email: uniqueEmail(role), role });

describe('roles', () => {
  it('lets an admin invite a team member', async () => {
    const admin = await loginAs('admin@demo.varai.test');
    const res = await admin.post('/api/team/invitations', newInvite('viewer'));
    expect(res.status).toBe(201);
    expect(res.body.invitation).toMatchObject({ role: 'viewer', expired: false });
  });

  it.each(['viewer@demo.varai.test', 'manager@demo.varai.test'])('refuses a team change from %s with 403 FORBIDDEN', async (email) => {
    const s = await loginAs(email);
    const res = await s.post('/api/team/invitations', newInvite('admin'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('lets a viewer read', async () => {
    const viewer = await loginAs('viewer@demo.varai.test');
    expect((await viewer.get('/api/apps')).status).toBe(200);
    expect((await viewer.get('/api/team')).status).toBe(200);
  });

  it('refuses brand-only data to an operator, who belongs to no brand', async () => {
    const op = await loginAs('operator@varai.test');
    const res = await op.get('/api/team');
    expect(res.status).toBe(403);
  });
});

describe('customer isolation', () => {
  it("never shows one brand's staff to another brand", async () => {
    const a = await signUp(api.url, { brandName: 'Brand A' });
    const b = await signUp(api.url, { brandName: 'Brand B' });
    const teamA = await a.session.get('/api/team');
    const emails = teamA.body.members.map((m: { email: string }) => m.email);
    expect(emails).toEqual([a.user.email]);
    expect(emails).not.toContain(b.user.email);
  });

  it('ignores a customer id smuggled into the request body', async () => {
    const a = await signUp(api.url, { brandName: 'Brand C' });
    const b = await signUp(api.url, { brandName: 'Brand D' });
    const invite = { ...newInvite('viewer'), customerId: b.user.customerId };
    expect((await a.session.post('/api/team/invitations', invite)).status).toBe(201);
    const teamA = await a.session.get('/api/team');
    const teamB = await b.session.get('/api/team');
    expect(teamA.body.invitations.map((i: { email: string }) => i.email)).toContain(invite.email);
    expect(teamB.body.invitations).toEqual([]);
  });
});
