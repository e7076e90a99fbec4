// The billing page's API: the overview from the ledger, invoices and the Billing Portal
// through stripe-mock (canned objects: shapes and mapping are asserted, not ids).
import { randomUUID } from 'node:crypto';
import { signup } from '../../domain/auth/accounts';
import { demoPassword } from '../../domain/catalog/demo';
import { AuditLog, Customer } from '../../domain/entities';
import { startApi, type TestApi } from '../support/api-server';
import { Session, uniqueEmail } from '../support/http';
import { consume, grant, meteredBrand, reconcileNow } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());
afterEach(() => jest.restoreAllMocks());

const day = 86_400_000;
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A brand made through the domain, not the sign-up route, so no onboarding workflow links a
 * Stripe customer behind the test's back.
 */
async function brandAdmin(on: TestApi = api): Promise<{ customerId: string; session: Session }> {
  const email = uniqueEmail('billing');
  const user = await signup(on.deps.orm.em.fork(), on.deps.passwords, { brandName: 'Billing Optics', name: 'Bea Billing', email, password: 'long-enough-pw' });
  const session = new Session(on.url);
  const res = await session.post('/api/auth/login', { email, password: 'long-enough-pw' });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return { customerId: user.customer!.id, session };
}

async function subscribe(customerId: string, plan: string, cycle: { startAt: Date; endAt: Date }, cancelAtPeriodEnd = false) {
  await api.deps.orm.em.getConnection().execute(
    `insert into customer_billing (customer_id, plan_id, status, cycle_start_at, cycle_end_at, cancel_at_period_end, updated_at)
     select ?, id, 'active', ?, ?, ?, now() from billing_plans where lookup_key = ?`,
    [customerId, cycle.startAt, cycle.endAt, cancelAtPeriodEnd, plan],
  );
}

async function loginAs(email: string): Promise<Session> {
  const s = new Session(api.url);
  expect((await s.post('/api/auth/login', { email, password: demoPassword })).status).toBe(200);
  return s;
}

const stripeCustomerIdOf = async (on: TestApi, customerId: string) => (await on.deps.orm.em.fork().findOneOrFail(Customer, customerId)).stripeCustomerId ?? null;

describe('GET /api/billing', () => {
  it('derives allowance, used allowance, pack and remaining tokens from the ledger', async () => {
    const b = await meteredBrand(api);
    const cycle = { startAt: new Date(Date.now() - day), endAt: new Date(Date.now() + 29 * day) };
    await subscribe(b.customerId, 'professional', cycle, true);
    await grant(api, b.customerId, 100, 'plan_allowance', { expiresAt: cycle.endAt });
    await grant(api, b.customerId, 50, 'token_pack');
    expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).status).toBe(200);
    await reconcileNow(api, b.customerId);

    const res = await b.admin.get('/api/billing');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      plan: { lookupKey: 'professional', name: 'Professional', allowanceTokens: 10_000, priceCents: 19_900, currency: 'usd' },
      status: 'active',
      cycle: { startAt: cycle.startAt.toISOString(), endAt: cycle.endAt.toISOString() },
      cancelAtPeriodEnd: true,
      pendingPlan: null,
      pastDueSince: null,
      alertThresholds: [50, 80, 100],
      testMode: true,
      allowanceTokens: 100,
      usedAllowanceTokens: 5,
      packTokens: 50,
      remainingTokens: 145,
      overagePolicy: 'block',
    });
  });

  it("leaves last cycle's expired allowance out of every figure", async () => {
    const b = await meteredBrand(api);
    await grant(api, b.customerId, 100, 'plan_allowance', { effectiveAt: new Date(Date.now() - 2 * day), expiresAt: new Date(Date.now() - day) });
    await grant(api, b.customerId, 30, 'token_pack');
    const res = await b.admin.get('/api/billing');
    expect(res.body).toMatchObject({ allowanceTokens: 0, usedAllowanceTokens: 0, packTokens: 30, remainingTokens: 30 });
  });

  it('answers a brand that never subscribed with no plan, no cycle and zero tokens', async () => {
    const { session } = await brandAdmin();
    const res = await session.get('/api/billing');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      plan: null,
      status: null,
      cycle: null,
      cancelAtPeriodEnd: false,
      pendingPlan: null,
      pastDueSince: null,
      alertThresholds: [50, 80, 100],
      testMode: true,
      allowanceTokens: 0,
      usedAllowanceTokens: 0,
      packTokens: 0,
      remainingTokens: 0,
      overagePolicy: 'block',
    });
  });

  it('shows an Enterprise brand as unlimited: no allowance and no remaining count', async () => {
    const { customerId, session } = await brandAdmin();
    await subscribe(customerId, 'enterprise', { startAt: new Date(Date.now() - day), endAt: new Date(Date.now() + 29 * day) });
    const res = await session.get('/api/billing');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      plan: { lookupKey: 'enterprise', allowanceTokens: null, priceCents: 99_900, currency: 'usd' },
      status: 'active',
      allowanceTokens: null,
      remainingTokens: null,
      overagePolicy: 'block',
    });
  });

  it('refuses an operator, who has no brand', async () => {
    const res = await (await loginAs('operator@varai.test')).get('/api/billing');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('GET /api/billing/invoices', () => {
  it('answers no invoices, and creates no Stripe customer, for a brand Stripe does not know yet', async () => {
    const { customerId, session } = await brandAdmin();
    const create = jest.spyOn(api.deps.stripe.customers, 'create');
    const res = await session.get('/api/billing/invoices');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ invoices: [], hasMore: false });
    expect(create).not.toHaveBeenCalled();
    expect(await stripeCustomerIdOf(api, customerId)).toBeNull();
  });

  it("maps the brand's Stripe invoices, asking Stripe for that customer's page", async () => {
    const { customerId, session } = await brandAdmin();
    expect((await session.post('/api/billing/portal-session')).status).toBe(200);
    const stripeCustomerId = await stripeCustomerIdOf(api, customerId);
    const list = jest.spyOn(api.deps.stripe.invoices, 'list');

    const res = await session.get('/api/billing/invoices?limit=3&startingAfter=in_previousPage1');
    expect(res.status).toBe(200);
    expect(list).toHaveBeenCalledWith({ customer: stripeCustomerId, limit: 3, starting_after: 'in_previousPage1' });
    const canned = (await list.mock.results[0]!.value) as { data: Array<Record<string, any>>; has_more: boolean };
    expect(res.body.hasMore).toBe(canned.has_more);
    expect(res.body.invoices).toHaveLength(canned.data.length);
    expect(res.body.invoices.length).toBeGreaterThan(0);
    const [invoice] = res.body.invoices;
    const source = canned.data[0]!;
    expect(invoice).toEqual({
      id: source.id,
      number: source.number,
      status: source.status,
      amountDueCents: source.amount_due,
      amountPaidCents: source.amount_paid,
      currency: source.currency,
      createdAt: new Date(source.created * 1000).toISOString(),
      periodStart: new Date(source.period_start * 1000).toISOString(),
      periodEnd: new Date(source.period_end * 1000).toISOString(),
      hostedInvoiceUrl: source.hosted_invoice_url ?? null,
      invoicePdf: source.invoice_pdf ?? null,
    });
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice.createdAt).toMatch(iso);
  });

  it('asks Stripe for 20 invoices when no limit is given', async () => {
    const { session } = await brandAdmin();
    await session.post('/api/billing/portal-session');
    const list = jest.spyOn(api.deps.stripe.invoices, 'list');
    expect((await session.get('/api/billing/invoices')).status).toBe(200);
    expect(list).toHaveBeenCalledWith(expect.objectContaining({ limit: 20, starting_after: undefined }));
  });

  it('lets a viewer list invoices', async () => {
    const res = await (await loginAs('viewer@demo.varai.test')).get('/api/billing/invoices?limit=1');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.invoices)).toBe(true);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['limit=2.5', 'query.limit'],
    ['limit=', 'query.limit'],
    ['startingAfter=cus_123', 'query.startingAfter'],
    ['startingAfter=', 'query.startingAfter'],
    [`startingAfter=in_${'x'.repeat(65)}`, 'query.startingAfter'],
  ])('refuses ?%s with 422 naming %s', async (query, path) => {
    const { session } = await brandAdmin();
    const res = await session.get(`/api/billing/invoices?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([path]);
  });
});

describe('POST /api/billing/portal-session', () => {
  it('creates the Stripe customer once, keyed by the brand, and opens a portal session that returns to the billing page', async () => {
    const { customerId, session } = await brandAdmin();
    const createCustomer = jest.spyOn(api.deps.stripe.customers, 'create');
    const createSession = jest.spyOn(api.deps.stripe.billingPortal.sessions, 'create');

    const res = await session.post('/api/billing/portal-session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: expect.stringMatching(/^https:\/\//) });
    const stripeCustomerId = await stripeCustomerIdOf(api, customerId);
    expect(stripeCustomerId).toMatch(/^cus_/);
    expect(createCustomer).toHaveBeenCalledWith(expect.objectContaining({ metadata: { customerId } }), { idempotencyKey: `customer-create:${customerId}` });
    expect(createSession).toHaveBeenCalledWith({ customer: stripeCustomerId, return_url: `${api.deps.config.api.publicUrl}/#/billing` });
  });

  it('reuses the stored Stripe customer on a second session', async () => {
    const { customerId, session } = await brandAdmin();
    await session.post('/api/billing/portal-session');
    const first = await stripeCustomerIdOf(api, customerId);
    const createCustomer = jest.spyOn(api.deps.stripe.customers, 'create');
    expect((await session.post('/api/billing/portal-session')).status).toBe(200);
    expect(createCustomer).not.toHaveBeenCalled();
    expect(await stripeCustomerIdOf(api, customerId)).toBe(first);
    expect(await api.deps.orm.em.fork().count(AuditLog, { customer: customerId, action: 'customer.stripe_linked' })).toBe(1);
  });

  it.each(['viewer@demo.varai.test', 'manager@demo.varai.test'])('refuses %s with 403 FORBIDDEN', async (email) => {
    const createSession = jest.spyOn(api.deps.stripe.billingPortal.sessions, 'create');
    const res = await (await loginAs(email)).post('/api/billing/portal-session');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(createSession).not.toHaveBeenCalled();
  });
});

describe('when Stripe cannot be reached', () => {
  let broken: TestApi;
  beforeAll(async () => {
    broken = await startApi({ STRIPE_API_BASE: 'http://127.0.0.1:1' });
  });
  afterAll(() => broken.close());

  it('answers a portal session with 503 SERVICE_UNAVAILABLE naming Stripe, and links nothing', async () => {
    const { customerId, session } = await brandAdmin(broken);
    const res = await session.post('/api/billing/portal-session');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error.message).toMatch(/Stripe/);
    expect(await stripeCustomerIdOf(broken, customerId)).toBeNull();
  });

  it('answers the invoice list with 503 SERVICE_UNAVAILABLE', async () => {
    const { customerId, session } = await brandAdmin(broken);
    await broken.deps.orm.em.getConnection().execute('update customers set stripe_customer_id = ? where id = ?', [`cus_${randomUUID().replace(/-/g, '')}`, customerId]);
    const res = await session.get('/api/billing/invoices');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('still answers the overview, which needs only the ledger', async () => {
    const { session } = await brandAdmin(broken);
    expect((await session.get('/api/billing')).status).toBe(200);
  });
});
