// Erasure on request: the person's name, email, phone, sign-in addresses and delivery recipients
// become pseudonyms, sessions and invitations go, a brand's keys are revoked; the ledger, the
// token usage and the audit rows stay, with the person pseudonymised in them.
import { randomUUID } from 'node:crypto';
import { demoPassword } from '../../domain/catalog/demo';
import { pseudonymOf } from '../../domain/privacy/erasure';
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import { logIn, Session, uniqueEmail } from '../support/http';
import { consume, ledgerRows, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';

let api: TestApi;
let op: Session;
beforeAll(async () => {
  api = await startApi();
  op = (await logIn(api.url)).session;
});
afterAll(() => api.close());

const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => api.deps.orm.em.getConnection().execute<T[]>(text, values);
const reason = 'GDPR request #4711';

interface World {
  brand: MeteredBrand;
  adminEmail: string;
  member: { session: Session; email: string; id: string };
  invitee: string;
}

/** A brand with a history: uses reconciled into the ledger, a member who signed in, a phone, a mailed notice, a pending invitation. */
async function world(): Promise<World> {
  const brand = await meteredBrand(api, { tokens: 50, apps: ['pd-calculator'] });
  const me = await brand.admin.get('/api/auth/me');
  const member = await memberOf(api.url, brand.admin, 'manager');
  const [row] = await sql<{ id: string }>('select id from users where email = ?', [member.email]);
  for (let i = 0; i < 3; i++) expect((await consume(api, brand.apiKey, { app: 'pd-calculator' })).status).toBe(200);
  await reconcileNow(api, brand.customerId);
  await sql("insert into user_phones (user_id, phone, verified_at, updated_at) values (?, '+15550001111', now(), now())", [row!.id]);
  const [notice] = await sql<{ id: string }>(
    "insert into notifications (customer_id, kind, channel, subject, body, dedupe_key, created_at) values (?, 'usage.alert', 'portal', 's', 'b', ?, now()) returning id",
    [brand.customerId, `erasure:${randomUUID()}`],
  );
  await sql("insert into notification_deliveries (notification_id, user_id, channel, recipient, status) values (?, ?, 'email', ?, 'sent')", [notice!.id, row!.id, member.email]);
  // A failed login files the email and the address in the audit row's details.
  expect((await new Session(api.url).post('/api/auth/login', { email: member.email, password: 'not-the-password' })).status).toBe(401);
  const invitee = uniqueEmail('invitee');
  expect((await brand.admin.post('/api/team/invitations', { email: invitee, role: 'viewer' })).status).toBe(201);
  return { brand, adminEmail: me.body.user.email, member: { ...member, id: row!.id }, invitee };
}

const auditText = async (customerId: string) => JSON.stringify(await sql('select ip, details from audit_log where customer_id = ?', [customerId]));
const auditCount = async (customerId: string) => Number((await sql<{ n: string }>('select count(*) as n from audit_log where customer_id = ?', [customerId]))[0]!.n);
const usageCount = async (customerId: string) => Number((await sql<{ n: string }>('select count(*) as n from token_usage where customer_id = ?', [customerId]))[0]!.n);

describe('POST /api/operator/users/:userId/erasure', () => {
  it('pseudonymises the member everywhere, ends their sessions, and keeps the ledger and the audit rows', async () => {
    const w = await world();
    const ledgerBefore = await ledgerRows(api.deps.orm, w.brand.customerId);
    const auditBefore = await auditCount(w.brand.customerId);
    const actedBefore = (await sql('select id from audit_log where actor_id = ?', [w.member.id])).length;
    expect(actedBefore).toBeGreaterThan(0);
    expect(await auditText(w.brand.customerId)).toContain(w.member.email);

    const res = await op.post(`/api/operator/users/${w.member.id}/erasure`, { reason });
    expect(res.status).toBe(200);
    const pseudonym = pseudonymOf('user', w.member.id);
    expect(res.body).toMatchObject({ userId: w.member.id, pseudonym, sessionsEnded: expect.any(Number) });
    expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(1);

    const [user] = await sql<{ email: string; name: string; disabled_at: unknown }>('select email, name, disabled_at from users where id = ?', [w.member.id]);
    expect(user).toMatchObject({ email: `${pseudonym}@erased.invalid`, name: pseudonym, disabled_at: expect.anything() });
    expect(await sql('select 1 from user_phones where user_id = ?', [w.member.id])).toHaveLength(0);
    expect(await sql("select 1 from sign_ins where user_id = ? and ip <> 'erased'", [w.member.id])).toHaveLength(0);
    expect(await sql('select recipient from notification_deliveries where user_id = ?', [w.member.id])).toEqual([{ recipient: `${pseudonym}@erased.invalid` }]);
    expect((await w.member.session.get('/api/auth/me')).status).toBe(401);

    // The facts stay: the same ledger, the same audit rows (one more: the erasure), none naming the person.
    expect(await ledgerRows(api.deps.orm, w.brand.customerId)).toEqual(ledgerBefore);
    expect(await auditCount(w.brand.customerId)).toBe(auditBefore + 1);
    expect((await sql('select id from audit_log where actor_id = ?', [w.member.id])).length).toBe(actedBefore);
    const text = await auditText(w.brand.customerId);
    expect(text).not.toContain(w.member.email);
    expect(text).toContain(pseudonym);
    const [erasure] = await sql<{ actor_kind: string; details: { reason: string } }>("select actor_kind, details from audit_log where action = 'privacy.user_erased' and target_id = ?", [w.member.id]);
    expect(erasure).toMatchObject({ actor_kind: 'operator', details: { reason } });
    // Only this person: the invitation the admin sent someone else still names them.
    expect(text).toContain(w.invitee);
    expect((await sql<{ email: string }>('select email from users where email = ?', [w.adminEmail])).length).toBe(1);
  });
});

describe('POST /api/operator/brands/:customerId/erasure', () => {
  it('pseudonymises the brand and every member, deletes invitations, revokes the keys, and keeps ledger, usage and audit rows', async () => {
    const w = await world();
    const id = w.brand.customerId;
    const ledgerBefore = await ledgerRows(api.deps.orm, id);
    const usageBefore = await usageCount(id);
    const auditBefore = await auditCount(id);
    const [brandRow] = await sql<{ name: string }>('select name from customers where id = ?', [id]);

    const res = await op.post(`/api/operator/brands/${id}/erasure`, { reason });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId: id, pseudonym: pseudonymOf('brand', id), users: 2, apiKeysRevoked: 1 });

    expect(await sql('select name from customers where id = ?', [id])).toEqual([{ name: pseudonymOf('brand', id) }]);
    const people = await sql<{ email: string; name: string }>('select email, name from users where customer_id = ?', [id]);
    for (const p of people) expect(p.email).toMatch(/^erased-user-[0-9a-f]{12}@erased\.invalid$/);
    expect(await sql('select 1 from team_invitations where customer_id = ?', [id])).toHaveLength(0);
    expect((await consume(api, w.brand.apiKey, { app: 'pd-calculator' })).status).toBe(401);
    expect((await w.brand.admin.get('/api/auth/me')).status).toBe(401);

    expect(await ledgerRows(api.deps.orm, id)).toEqual(ledgerBefore);
    expect(await usageCount(id)).toBe(usageBefore);
    expect(await auditCount(id)).toBe(auditBefore + 1);
    const text = await auditText(id);
    for (const gone of [w.adminEmail, w.member.email, w.invitee, brandRow!.name]) expect(text).not.toContain(gone);
    expect((await sql('select 1 from audit_log where customer_id = ? and ip is not null', [id])).length).toBeLessThanOrEqual(1);
  });

  it('leaves the audit log append-only to everything else: a plain UPDATE or DELETE is still refused', async () => {
    // The app's role has no UPDATE or DELETE on the table at all; the owner meets the trigger.
    const [row] = await sql<{ id: string }>('select id from audit_log order by id desc limit 1');
    const refused = /append-only|permission denied/;
    await expect(sql('update audit_log set ip = null where id = ?', [row!.id])).rejects.toThrow(refused);
    await expect(sql("update audit_log set action = 'x' where id = ?", [row!.id])).rejects.toThrow(refused);
    await expect(sql('delete from audit_log where id = ?', [row!.id])).rejects.toThrow(refused);
  });

  it('answers 404 for an unknown brand or user, 422 without a reason, 403 to brand staff', async () => {
    expect((await op.post(`/api/operator/brands/${randomUUID()}/erasure`, { reason })).body.error.code).toBe('NOT_FOUND');
    expect((await op.post(`/api/operator/users/${randomUUID()}/erasure`, { reason })).status).toBe(404);
    const bad = await op.post(`/api/operator/users/${randomUUID()}/erasure`, { reason: ' ' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    const admin = new Session(api.url);
    await admin.post('/api/auth/login', { email: 'admin@demo.varai.test', password: demoPassword });
    expect((await admin.post(`/api/operator/users/${randomUUID()}/erasure`, { reason })).status).toBe(403);
  });
});
