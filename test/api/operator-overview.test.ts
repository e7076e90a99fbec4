// The operator landing page's figures are true to the database: a new brand, a plan, an active
// app and consumed tokens each move exactly the figure they should; only operators may read them.
import { startApi, type TestApi } from '../support/api-server';
import { logIn, Session, signUp, uniqueEmail } from '../support/http';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const login = async (email?: string) => (await logIn(api.url, email)).session;

const overview = async (op: Session) => {
  const res = await op.get('/api/operator/overview');
  expect(res.status).toBe(200);
  return res.body;
};
const adoptionOf = (o: { adoption: { slug: string; activeBrands: number }[] }, slug: string) => o.adoption.find((a) => a.slug === slug)!.activeBrands;

describe('GET /api/operator/overview', () => {
  it('counts brands per plan, adoption per app and the last 30 days’ tokens, each moving with the data', async () => {
    const op = await login();
    const before = await overview(op);
    expect(before.brands).toBe(Object.values(before.brandsPerPlan as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(before.adoption).toHaveLength(10);
    expect(before.links).toEqual({ temporalUi: api.deps.config.temporal.uiUrl, health: '/api/operator/health' });

    const { session, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await api.deps.orm.em.getConnection().execute(
      `insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = 'professional'`,
      [customerId],
    );
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['frame-finder']);
    await grant(api, customerId, 50);
    const key = await session.post('/api/api-keys', { name: 'server' });
    for (let i = 0; i < 3; i++) expect((await consume(api, key.body.secret, { app: 'frame-finder' })).status).toBe(200);
    await reconcileNow(api, customerId);

    // Other test files run beside this one, so figures may grow by more: at least what this brand did.
    const after = await overview(op);
    expect(after.brands).toBeGreaterThanOrEqual(before.brands + 1);
    expect(after.brandsPerPlan.professional).toBeGreaterThanOrEqual(before.brandsPerPlan.professional + 1);
    expect(adoptionOf(after, 'frame-finder')).toBeGreaterThanOrEqual(adoptionOf(before, 'frame-finder') + 1);
    expect(after.tokensLast30Days).toBeGreaterThanOrEqual(before.tokensLast30Days + 3 * 2);
    const counts = after.adoption.map((a: { activeBrands: number }) => a.activeBrands);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it.each(['admin@demo.varai.test', 'manager@demo.varai.test', 'viewer@demo.varai.test'])('refuses brand staff (%s) with 403 FORBIDDEN', async (email) => {
    const res = await (await login(email)).get('/api/operator/overview');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String), details: { required: 'operate' } });
  });

  it('refuses a new brand’s admin, and anyone without a session', async () => {
    const { session } = await signUp(api.url, { email: uniqueEmail('overview') });
    expect((await session.get('/api/operator/overview')).status).toBe(403);
    const anon = await new Session(api.url).get('/api/operator/overview');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('takes no input: an unexpected query is ignored, a NUL in it refused', async () => {
    const op = await login();
    expect((await op.get('/api/operator/overview?days=7')).status).toBe(200);
    const bad = await op.get('/api/operator/overview?x=%00');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ path: 'query.x', message: expect.any(String) })]);
  });
});
