import { randomUUID } from 'node:crypto';
import { settingsJsonSchema } from '../../domain/catalog/app-settings';
import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { withCatalogLock } from '../support/catalog-lock';
import { Session, signUp } from '../support/http';
import { activateApps, consume, meteredBrand, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const sql = (query: string, params: unknown[]) => api.deps.orm.em.getConnection().execute(query, params);

/**
 * Runs `fn` with Contact Lens Try-On in beta, and puts it back whatever happens. Under the
 * catalog lock: other test files count the apps a brand sees.
 */
async function inBeta(fn: () => Promise<void>) {
  await withCatalogLock('exclusive', async () => {
    // The seed resets the status on the next run, should this test die before the finally.
    await sql("update apps set status = 'beta' where slug = 'contact-lens-try-on'", []);
    try {
      await fn();
    } finally {
      await sql("update apps set status = 'active' where slug = 'contact-lens-try-on'", []);
    }
  });
}

async function setPlan(customerId: string, plan: 'starter' | 'professional' | 'enterprise') {
  await sql(
    `insert into customer_billing (customer_id, plan_id, status, updated_at)
     select ?, id, 'active', now() from billing_plans where lookup_key = ?
     on conflict (customer_id) do update set plan_id = excluded.plan_id`,
    [customerId, plan],
  );
}

async function brand(plan?: 'starter' | 'professional') {
  const { session, user } = await signUp(api.url);
  if (plan) await setPlan(user.customerId, plan);
  return { session, customerId: user.customerId as string };
}

async function login(email: string) {
  const s = new Session(api.url);
  await s.post('/api/auth/login', { email, password: demoPassword });
  return s;
}

const slugs = (res: { body: { apps: { slug: string }[] } }) => res.body.apps.map((a) => a.slug);

describe('GET /api/apps', () => {
  it('lists the ten seeded apps with their token costs', async () => {
    const res = await (await login('viewer@demo.varai.test')).get('/api/apps');
    expect(res.status).toBe(200);
    const costs = Object.fromEntries(res.body.apps.map((a: { slug: string; costTokens: number }) => [a.slug, a.costTokens]));
    expect(costs).toEqual({
      'virtual-try-on': 5, 'face-shape-analysis': 3, 'style-consultation': 4, 'fit-consultation': 4, 'eyewear-recommendations': 2,
      'pd-calculator': 1, 'frame-finder': 2, 'contact-lens-try-on': 3, 'conversational-ai': 3, 'advanced-analytics': 10,
    });
  });

  it('requires a session', async () => {
    const res = await new Session(api.url).get('/api/apps');
    expect(res.status).toBe(401);
  });

  it('finds apps by a case-insensitive search over name, description and category', async () => {
    const { session } = await brand('starter');
    expect(slugs(await session.get('/api/apps?q=%20TRY-ON%20'))).toEqual(['contact-lens-try-on', 'virtual-try-on']);
    expect(slugs(await session.get('/api/apps?q=pupillary'))).toEqual(['pd-calculator']);
    expect(slugs(await session.get('/api/apps?q=analytics'))).toEqual(['advanced-analytics']);
  });

  it('filters by category', async () => {
    const { session } = await brand('starter');
    expect(slugs(await session.get('/api/apps?category=discovery'))).toEqual(['eyewear-recommendations', 'frame-finder']);
  });

  it('filters by this brand’s activation status, counting apps never activated as inactive', async () => {
    const { session, customerId } = await brand('professional');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator', 'frame-finder']);
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['virtual-try-on'], 'deactivating');
    expect(slugs(await session.get('/api/apps?status=active'))).toEqual(['frame-finder', 'pd-calculator']);
    expect(slugs(await session.get('/api/apps?status=deactivating'))).toEqual(['virtual-try-on']);
    const inactive = slugs(await session.get('/api/apps?status=inactive'));
    expect(inactive).toHaveLength(7);
    expect(inactive).not.toContain('pd-calculator');
  });

  it('combines the search with the filters', async () => {
    const { session, customerId } = await brand('professional');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['contact-lens-try-on']);
    expect(slugs(await session.get('/api/apps?q=try&category=try-on&status=inactive'))).toEqual(['virtual-try-on']);
  });

  it('includes only the basic apps in Starter', async () => {
    const { session } = await brand('starter');
    const res = await session.get('/api/apps');
    expect(res.body.plan).toBe('starter');
    const included = res.body.apps.filter((a: { includedInPlan: boolean }) => a.includedInPlan).map((a: { slug: string }) => a.slug);
    expect(included).toEqual(['eyewear-recommendations', 'face-shape-analysis', 'frame-finder', 'pd-calculator']);
    expect(res.body.apps.find((a: { slug: string }) => a.slug === 'virtual-try-on')).toMatchObject({ requiredPlan: 'professional', includedInPlan: false });
  });

  it('includes every app in Professional', async () => {
    const { session } = await brand('professional');
    const res = await session.get('/api/apps');
    expect(res.body.apps.filter((a: { includedInPlan: boolean }) => !a.includedInPlan)).toEqual([]);
  });

  it('includes nothing for a brand without a plan, naming the plan that would', async () => {
    const { session } = await brand();
    const res = await session.get('/api/apps');
    expect(res.body.plan).toBeNull();
    expect(res.body.apps.find((a: { slug: string }) => a.slug === 'pd-calculator')).toMatchObject({ requiredPlan: 'starter', includedInPlan: false });
    expect(res.body.apps.filter((a: { includedInPlan: boolean }) => a.includedInPlan)).toEqual([]);
  });

  it('shows this brand’s activation of each app, with when it was activated or why it failed', async () => {
    const { session, customerId } = await brand('professional');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['frame-finder'], 'failed');
    await sql("update customer_apps set failure_reason = 'widget origin unreachable' where customer_id = ?", [customerId]);
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator']);
    await sql("update customer_apps set activated_at = '2026-01-02T03:04:05Z' where customer_id = ? and status = 'active'", [customerId]);
    const bySlug = Object.fromEntries((await session.get('/api/apps')).body.apps.map((a: { slug: string; activation: unknown }) => [a.slug, a.activation]));
    expect([bySlug['frame-finder'], bySlug['pd-calculator'], bySlug['virtual-try-on']]).toEqual([
      { status: 'failed', activatedAt: null, failureReason: 'widget origin unreachable' },
      { status: 'active', activatedAt: '2026-01-02T03:04:05.000Z', failureReason: null },
      { status: 'inactive', activatedAt: null, failureReason: null },
    ]);
  });

  it('gives an operator the whole catalog without brand fields', async () => {
    const res = await (await login('operator@varai.test')).get('/api/apps?status=active');
    expect(res.status).toBe(200);
    expect(res.body.plan).toBeNull();
    expect(res.body.apps).toHaveLength(10);
    expect(res.body.apps[0]).toMatchObject({ includedInPlan: null, activation: null, requiredPlan: expect.any(String), costTokens: expect.any(Number) });
  });

  it('hides a beta app from brands not on its allow-list, but not from operators', async () => {
    const [hidden, allowed] = [await brand('professional'), await brand('professional')];
    const operator = await login('operator@varai.test');
    expect((await operator.request('PUT', `/api/operator/apps/contact-lens-try-on/beta-customers/${allowed.customerId}`)).status).toBe(200);
    await inBeta(async () => {
      expect(slugs(await hidden.session.get('/api/apps?q=contact'))).toEqual([]);
      expect((await hidden.session.get('/api/apps/contact-lens-try-on')).status).toBe(404);
      expect((await allowed.session.get('/api/apps?q=contact')).body.apps).toMatchObject([{ slug: 'contact-lens-try-on', status: 'beta' }]);
      expect((await allowed.session.get('/api/apps/contact-lens-try-on')).status).toBe(200);
      expect(slugs(await operator.get('/api/apps?q=contact'))).toEqual(['contact-lens-try-on']);
    });
  });

  it.each([
    ['category=glasses', 'query.category'],
    ['status=enabled', 'query.status'],
    [`q=${'x'.repeat(101)}`, 'query.q'],
    ['status=active&status=failed', 'query.status'],
  ])('answers 422 naming the field for a bad query (%s)', async (query, path) => {
    const { session } = await brand('starter');
    const res = await session.get(`/api/apps?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([path]);
  });
});

describe('GET /api/apps/:slug', () => {
  it('answers the app with this brand’s entitlement, activation, configuration and usage', async () => {
    const b = await meteredBrand(api, { tokens: 100 });
    await setPlan(b.customerId, 'starter');
    await sql("update customer_apps c set configuration = '{\"theme\":\"dark\"}' from apps a where a.id = c.app_id and a.slug = 'virtual-try-on' and c.customer_id = ?", [b.customerId]);
    for (let i = 0; i < 3; i++) expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).status).toBe(200);
    await consume(api, b.apiKey, { app: 'pd-calculator' });
    await reconcileNow(api, b.customerId);
    const res = await b.admin.get('/api/apps/virtual-try-on');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      plan: 'starter',
      app: expect.objectContaining({
        slug: 'virtual-try-on',
        costTokens: 5,
        requiredPlan: 'professional',
        includedInPlan: false,
        activation: { status: 'active', activatedAt: null, failureReason: null },
        configuration: { theme: 'dark' },
        usage: { uses: 3, tokens: 15, last30Days: { uses: 3, tokens: 15 } },
      }),
    });
  });

  it('counts usage older than 30 days in the total only', async () => {
    const { session, customerId } = await brand('professional');
    await sql(
      `insert into token_usage (customer_id, app_id, idempotency_key, request_hash, tokens, debited_at)
       select ?, id, ?, 'h', cost_tokens, now() - interval '31 days' from apps where slug = 'frame-finder'`,
      [customerId, randomUUID()],
    );
    const res = await session.get('/api/apps/frame-finder');
    expect(res.body.app.usage).toEqual({ uses: 1, tokens: 2, last30Days: { uses: 0, tokens: 0 } });
  });

  it('answers zero usage and an empty configuration for an app never activated', async () => {
    const { session } = await brand('starter');
    const res = await session.get('/api/apps/pd-calculator');
    expect([res.body.app.usage, res.body.app.configuration, res.body.app.includedInPlan]).toEqual([
      { uses: 0, tokens: 0, last30Days: { uses: 0, tokens: 0 } },
      {},
      true,
    ]);
  });

  it('answers 404 UNKNOWN_APP naming params.slug for an unknown app', async () => {
    const { session } = await brand('starter');
    const res = await session.get('/api/apps/no-such-app');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'params.slug' } });
  });

  it('gives an operator the app without brand fields', async () => {
    const res = await (await login('operator@varai.test')).get('/api/apps/pd-calculator');
    expect(res.status).toBe(200);
    expect(res.body.app).toMatchObject({ slug: 'pd-calculator', requiredPlan: 'starter', includedInPlan: null, activation: null, usage: null, configuration: null });
  });

  it('includes the JSON Schema of the app’s settings', async () => {
    const { session } = await brand('starter');
    const res = await session.get('/api/apps/pd-calculator');
    expect(res.body.app.configurationSchema).toEqual(settingsJsonSchema('pd-calculator'));
    expect(res.body.app.configurationSchema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
  });

  it('includes the settings schema for an operator too', async () => {
    const res = await (await login('operator@varai.test')).get('/api/apps/virtual-try-on');
    expect(res.body.app.configurationSchema).toEqual(settingsJsonSchema('virtual-try-on'));
  });
});

describe('beta allow-list (/api/operator/apps/:slug/beta-customers)', () => {
  const path = (customerId?: string) => `/api/operator/apps/contact-lens-try-on/beta-customers${customerId ? `/${customerId}` : ''}`;

  const auditRows = (customerId: string) =>
    sql("select action, target_id from audit_log where customer_id = ? and action like 'app.beta_%' order by id", [customerId]);

  it('shows a beta app to a brand once an operator grants it, listed and open, and a repeated grant changes nothing', async () => {
    const b = await brand('professional');
    const operator = await login('operator@varai.test');
    await inBeta(async () => {
      expect(slugs(await b.session.get('/api/apps?q=contact'))).toEqual([]);
      const first = await operator.request('PUT', path(b.customerId));
      expect(first.status).toBe(200);
      expect(first.body.customer).toEqual({ id: b.customerId, name: 'Acme Eyewear', grantedAt: expect.any(String) });
      const again = await operator.request('PUT', path(b.customerId));
      expect(again.body.customer).toEqual(first.body.customer);
      expect(slugs(await b.session.get('/api/apps?q=contact'))).toEqual(['contact-lens-try-on']);
      expect((await b.session.get('/api/apps/contact-lens-try-on')).status).toBe(200);
      const listed = (await operator.get(path())).body.customers;
      expect(listed.filter((c: { id: string }) => c.id === b.customerId)).toEqual([first.body.customer]);
    });
    expect(await auditRows(b.customerId)).toEqual([{ action: 'app.beta_granted', target_id: 'contact-lens-try-on' }]);
  });

  it('hides the beta app again once revoked; a second revocation answers revoked: false', async () => {
    const b = await brand('professional');
    const operator = await login('operator@varai.test');
    await operator.request('PUT', path(b.customerId));
    await inBeta(async () => {
      expect(slugs(await b.session.get('/api/apps?q=contact'))).toEqual(['contact-lens-try-on']);
      const revoked = await operator.request('DELETE', path(b.customerId));
      expect([revoked.status, revoked.body]).toEqual([200, { customerId: b.customerId, revoked: true }]);
      expect((await operator.request('DELETE', path(b.customerId))).body).toEqual({ customerId: b.customerId, revoked: false });
      expect(slugs(await b.session.get('/api/apps?q=contact'))).toEqual([]);
      expect((await b.session.get('/api/apps/contact-lens-try-on')).status).toBe(404);
      expect((await operator.get(path())).body.customers.map((c: { id: string }) => c.id)).not.toContain(b.customerId);
    });
    expect((await auditRows(b.customerId)).map((r) => (r as { action: string }).action)).toEqual(['app.beta_granted', 'app.beta_revoked']);
  });

  it('refuses to activate a beta app for a brand not on the list with 404 UNKNOWN_APP', async () => {
    const b = await brand('professional');
    await inBeta(async () => {
      const res = await b.session.post('/api/apps/contact-lens-try-on/activate');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_APP');
    });
    expect(await sql("select 1 from customer_apps where customer_id = ?", [b.customerId])).toEqual([]);
  });

  it.each([
    ['GET', ''],
    ['PUT', 'self'],
    ['DELETE', 'self'],
  ])('refuses %s to a brand admin with 403 FORBIDDEN', async (method, target) => {
    const b = await brand('professional');
    const res = await b.session.request(method, path(target ? b.customerId : undefined));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await auditRows(b.customerId)).toEqual([]);
  });

  it('answers 404 UNKNOWN_APP for an unknown app and 404 NOT_FOUND for an unknown brand', async () => {
    const operator = await login('operator@varai.test');
    const b = await brand('professional');
    const unknownApp = await operator.request('PUT', `/api/operator/apps/no-such-app/beta-customers/${b.customerId}`);
    expect([unknownApp.status, unknownApp.body.error.code]).toEqual([404, 'UNKNOWN_APP']);
    expect((await operator.get('/api/operator/apps/no-such-app/beta-customers')).body.error.code).toBe('UNKNOWN_APP');
    for (const method of ['PUT', 'DELETE']) {
      const res = await operator.request(method, path(randomUUID()));
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});
