// API keys through the portal API: admins create and revoke, the secret is shown once.
import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp } from '../support/http';
import { consume, meteredBrand, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function demo(role: 'admin' | 'manager' | 'viewer'): Promise<Session> {
  const s = new Session(api.url);
  await s.post('/api/auth/login', { email: `${role}@demo.varai.test`, password: demoPassword });
  return s;
}

describe('api keys', () => {
  it('shows the secret once and stores only a hash; kind and mode default to a secret live key', async () => {
    const { session } = await signUp(api.url);
    const created = await session.post('/api/api-keys', { name: 'storefront', appScopes: ['pd-calculator'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^vsk_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({ name: 'storefront', appScopes: ['pd-calculator'], revokedAt: null });
    const listed = await session.get('/api/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret.slice(16));
    const [row] = await api.deps.orm.em.getConnection().execute('select key_hash from api_keys where id = ?', [created.body.apiKey.id]);
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.key_hash).not.toContain(created.body.secret);
  });

  it('shows when a key was last used, once its uses are reconciled', async () => {
    const b = await meteredBrand(api, { tokens: 10 });
    const before = (await b.admin.get('/api/api-keys')).body.apiKeys[0];
    expect(before.lastUsedAt).toBeNull();
    await consume(api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(api, b.customerId);
    const after = (await b.admin.get('/api/api-keys')).body.apiKeys[0];
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('lets a manager list keys but not create them, and a viewer neither', async () => {
    const manager = await demo('manager');
    expect((await manager.get('/api/api-keys')).status).toBe(200);
    expect((await manager.post('/api/api-keys', { name: 'x' })).status).toBe(403);
    expect((await (await demo('viewer')).get('/api/api-keys')).status).toBe(403);
  });

  it('refuses an unknown app or an unknown field, naming it', async () => {
    const admin = await demo('admin');
    const unknownApp = await admin.post('/api/api-keys', { name: 'x', appScopes: ['teleporter'] });
    expect(unknownApp.status).toBe(422);
    expect(unknownApp.body.error.details.fields[0]).toMatchObject({ path: 'body.appScopes' });
    const typo = await admin.post('/api/api-keys', { name: 'x', appScope: ['pd-calculator'] });
    expect(typo.status).toBe(422);
  });

  it('revokes once, keeps the first revocation time, and hides other brands’ keys', async () => {
    const { session } = await signUp(api.url);
    const created = await session.post('/api/api-keys', { name: 'old' });
    const first = await session.request('DELETE', `/api/api-keys/${created.body.apiKey.id}`);
    const again = await session.request('DELETE', `/api/api-keys/${created.body.apiKey.id}`);
    expect(first.body.apiKey.revokedAt).not.toBeNull();
    expect(again.body.apiKey.revokedAt).toBe(first.body.apiKey.revokedAt);
    const other = await signUp(api.url);
    expect((await other.session.request('DELETE', `/api/api-keys/${created.body.apiKey.id}`)).status).toBe(404);
    const [audit] = await api.deps.orm.em.getConnection().execute(`select count(*)::int as n from audit_log where target_id = ? and action = 'api_key.revoked'`, [created.body.apiKey.id]);
    expect(audit!.n).toBe(1);
  });
});
