// Issue 11, items 1 and 3: the test-payment actions exist only with a test Stripe key outside
// production (a restricted rk_live_ key turns them off, as any _live_ key does), the portal is
// told so, and the webhook refuses events whose livemode is not the key's mode.
import { randomUUID } from 'node:crypto';
import { startApi, type TestApi } from '../support/api-server';
import { Session, uniqueEmail } from '../support/http';
import { deliverSignedEvent } from '../support/stripe-webhook';
import { waitFor } from '../support/wait';

/**
 * Same-origin markers on every request: these tests are about payments, not CSRF, so they
 * must pass whatever the cross-site check asks of a browser's own requests; `X-Forwarded-Proto`
 * lets the production API (which trusts its proxy) set its Secure cookie over plain HTTP here.
 */
// Behind TLS (X-Forwarded-Proto, trusted in production only), the page the browser names is the https one.
const pageOrigin = (api: TestApi) => (api.deps.config.env === 'production' ? api.url.replace(/^http:/, 'https:') : api.url);
const browserHeaders = (api: TestApi) => ({ origin: pageOrigin(api), 'sec-fetch-site': 'same-origin', 'x-forwarded-proto': 'https' });

async function adminOf(api: TestApi): Promise<Session> {
  const s = new Session(api.url);
  const res = await s.post('/api/auth/signup', { brandName: 'Gates Eyewear', name: 'Ann Admin', email: uniqueEmail('gates'), password: 'correct-horse-battery' }, browserHeaders(api));
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return s;
}

/** Every test-mode action of the API, as the portal calls it. */
const testActions = (): [string, unknown][] => [
  ['/api/billing/subscription/complete-test-payment', undefined],
  ['/api/billing/subscription/test-invoice', { outcome: 'paid' }],
  [`/api/billing/token-packs/${randomUUID()}/complete-test-payment`, undefined],
];

async function expectNoTestActions(api: TestApi): Promise<void> {
  const admin = await adminOf(api);
  for (const [path, body] of testActions()) {
    const res = await admin.post(path, body, browserHeaders(api));
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  }
  const billing = await admin.request('GET', '/api/billing', undefined, browserHeaders(api));
  expect(billing.status).toBe(200);
  expect(billing.body.testMode).toBe(false);
}

async function withApi(env: Partial<NodeJS.ProcessEnv>, run: (api: TestApi) => Promise<void>): Promise<void> {
  const api = await startApi(env);
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

describe('the test-payment actions', () => {
  it('do not exist with a restricted live key (rk_live_), and the portal is told there is no test mode', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'rk_live_51GatesExample' }, expectNoTestActions);
  });

  it('do not exist with a secret live key (sk_live_)', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'sk_live_51GatesExample' }, expectNoTestActions);
  });

  it('do not exist in production, even with a test key that ALLOW_TEST_STRIPE_KEY lets in', async () => {
    const production = { NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_test_123', ALLOW_TEST_STRIPE_KEY: 'true', STRIPE_WEBHOOK_SECRET: `whsec_${randomUUID().replace(/-/g, '')}`, COOKIE_SECURE: 'true', PASSWORD_HASH_MEMORY_KIB: '19456' };
    await withApi(production, expectNoTestActions);
  });

  it('exist with a test key outside production, and the portal is told so', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'sk_test_123' }, async (api) => {
      const admin = await adminOf(api);
      const res = await admin.post('/api/billing/subscription/complete-test-payment', undefined, browserHeaders(api));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('NO_PENDING_CHECKOUT');
      expect((await admin.get('/api/billing')).body.testMode).toBe(true);
    });
  });
});

/** A signed event that would start an Enterprise subscription for `customerId`, if believed. */
function subscriptionEvent(livemode: boolean) {
  const created = Math.floor(Date.now() / 1000);
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type: 'customer.subscription.created',
    created,
    livemode,
    data: { object: { id: `sub_${randomUUID().slice(0, 8)}`, object: 'subscription', status: 'active', livemode, cancel_at_period_end: false, metadata: { customerId: randomUUID(), plan: 'enterprise' }, items: { data: [{ id: 'si_1', current_period_start: created, current_period_end: created + 86_400, price: { lookup_key: 'enterprise' } }] } } },
  };
}

async function processed(api: TestApi, id: string): Promise<boolean> {
  const [row] = await api.deps.orm.em.fork().getConnection().execute<{ processed_at: Date | null }[]>('select processed_at from stripe_events where id = ?', [id]);
  return Boolean(row?.processed_at);
}

async function storedEvents(api: TestApi, id: string): Promise<number> {
  const [row] = await api.deps.orm.em.fork().getConnection().execute<{ count: string }[]>('select count(*) as count from stripe_events where id = ?', [id]);
  return Number(row!.count);
}

describe('the Stripe webhook', () => {
  const post = (api: TestApi, event: Record<string, unknown>) => deliverSignedEvent(api.deps.stripe, api.deps.config.stripe.webhookSecret, `${api.url}/webhooks/stripe`, event);

  it('refuses a live-mode event with a test key: 400 LIVEMODE_MISMATCH, nothing stored', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'sk_test_123' }, async (api) => {
      const event = subscriptionEvent(true);
      const res = await post(api, event);
      expect(res.status).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('LIVEMODE_MISMATCH');
      expect(await storedEvents(api, event.id)).toBe(0);
    });
  });

  it('refuses a test-mode event with a live key: 400 LIVEMODE_MISMATCH, nothing stored', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'rk_live_51GatesExample' }, async (api) => {
      const event = subscriptionEvent(false);
      const res = await post(api, event);
      expect(res.status).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('LIVEMODE_MISMATCH');
      expect(await storedEvents(api, event.id)).toBe(0);
    });
  });

  it('stores a test-mode event with a test key, as stripe-mock and the test payments send them', async () => {
    await withApi({ STRIPE_SECRET_KEY: 'sk_test_123' }, async (api) => {
      // A type nothing acts on: stored and acknowledged, with no hand-over left for another file's relay.
      const event = { ...subscriptionEvent(false), type: 'customer.updated' };
      expect((await post(api, event)).status).toBe(200);
      expect(await storedEvents(api, event.id)).toBe(1);
      await waitFor(() => processed(api, event.id), (done) => done);
    });
  });
});
