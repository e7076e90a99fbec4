// GET /api/notifications and marking notices read: newest first, per brand, paged, and only
// admins and managers change the read state.
import { randomUUID } from 'node:crypto';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function notice(customerId: string, subject: string, createdAt: Date) {
  const [row] = await api.deps.orm.em.getConnection().execute<{ id: string }[]>(
    `insert into notifications (customer_id, kind, channel, subject, body, dedupe_key, created_at) values (?, 'usage.alert', 'portal', ?, 'body', ?, ?) returning id`,
    [customerId, subject, `test:${randomUUID()}`, createdAt],
  );
  return row!.id;
}

async function brandWithNotices() {
  const { session, user } = await signUp(api.url);
  const t = Date.now();
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await notice(user.customerId, `notice ${i}`, new Date(t - (3 - i) * 60_000)));
  return { admin: session, customerId: user.customerId as string, ids };
}

async function member(admin: Session, role: 'viewer' | 'manager') {
  const email = uniqueEmail(role);
  await addMember(admin, { email, name: 'Member', role, password: 'long-enough-pw' });
  const s = new Session(api.url);
  expect((await s.post('/api/auth/login', { email, password: 'long-enough-pw' })).status).toBe(200);
  return s;
}

describe('GET /api/notifications', () => {
  it('lists the brand’s notices newest first with the unread count', async () => {
    const b = await brandWithNotices();
    const res = await b.admin.get('/api/notifications');
    expect(res.status).toBe(200);
    expect(res.body.notifications.map((n: { subject: string }) => n.subject)).toEqual(['notice 2', 'notice 1', 'notice 0']);
    expect(res.body.unreadCount).toBe(3);
    expect(res.body.notifications[0]).toMatchObject({ kind: 'usage.alert', body: 'body', sentAt: null, readAt: null });
  });

  it('pages with `before` without skipping notices written in the same instant', async () => {
    const { session, user } = await signUp(api.url);
    const at = new Date();
    for (let i = 0; i < 5; i++) await notice(user.customerId, `same ${i}`, at);
    const seen: string[] = [];
    let before = '';
    for (let page = 0; page < 5; page++) {
      const res = await session.get(`/api/notifications?limit=2${before ? `&before=${before}` : ''}`);
      seen.push(...res.body.notifications.map((n: { subject: string }) => n.subject));
      if (res.body.notifications.length < 2) break;
      before = res.body.notifications[1].id;
    }
    expect(seen.sort()).toEqual(['same 0', 'same 1', 'same 2', 'same 3', 'same 4']);
  });

  it('pages with `before` and filters unread ones', async () => {
    const b = await brandWithNotices();
    const first = await b.admin.get('/api/notifications?limit=2');
    const next = await b.admin.get(`/api/notifications?limit=2&before=${first.body.notifications[1].id}`);
    expect(next.body.notifications.map((n: { subject: string }) => n.subject)).toEqual(['notice 0']);
    await b.admin.post(`/api/notifications/${b.ids[2]}/read`);
    const unread = await b.admin.get('/api/notifications?unread=true');
    expect(unread.body.notifications.map((n: { subject: string }) => n.subject)).toEqual(['notice 1', 'notice 0']);
    expect(unread.body.unreadCount).toBe(2);
  });

  it('refuses a bad query naming the field', async () => {
    const b = await brandWithNotices();
    const res = await b.admin.get('/api/notifications?limit=0&before=yesterday');
    const foreign = await b.admin.get(`/api/notifications?before=${(await brandWithNotices()).ids[0]}`);
    expect(foreign).toMatchObject({ status: 422, body: { error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: 'query.before' }] } } } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['query.before', 'query.limit']);
  });

  it('refuses an operator, who belongs to no brand', async () => {
    const op = new Session(api.url);
    await op.post('/api/auth/login', { email: 'operator@varai.test', password: 'varai-demo-2026' });
    expect((await op.get('/api/notifications')).status).toBe(403);
  });
});

describe('marking notices read', () => {
  it('marks one read once, keeping the first read time', async () => {
    const b = await brandWithNotices();
    const first = await b.admin.post(`/api/notifications/${b.ids[0]}/read`);
    const again = await b.admin.post(`/api/notifications/${b.ids[0]}/read`);
    expect(first.status).toBe(200);
    expect(first.body.notification.readAt).not.toBeNull();
    expect(again.body.notification.readAt).toBe(first.body.notification.readAt);
  });

  it('answers 404 for another brand’s notice', async () => {
    const a = await brandWithNotices();
    const b = await brandWithNotices();
    const res = await a.admin.post(`/api/notifications/${b.ids[0]}/read`);
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('marks all read for a manager, and refuses a viewer', async () => {
    const b = await brandWithNotices();
    const viewer = await member(b.admin, 'viewer');
    expect((await viewer.post('/api/notifications/read-all')).status).toBe(403);
    expect((await viewer.get('/api/notifications')).body.unreadCount).toBe(3);
    const manager = await member(b.admin, 'manager');
    expect((await manager.post('/api/notifications/read-all')).body).toEqual({ marked: 3 });
    expect((await b.admin.get('/api/notifications')).body.unreadCount).toBe(0);
  });
});
