// The operator's brand list and brand page are true to the database: a search finds a brand by
// each of its names, the figures are the brand's own (the balance the brand's billing page
// shows), pages never overlap, bad input is a 422 naming the field, and only operators may look.
import { randomUUID } from 'node:crypto';
import { startApi, type TestApi } from '../support/api-server';
import { putOnPlan } from '../support/brand';
import { logIn, Session, signUp } from '../support/http';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';

let api: TestApi;
let op: Session;
beforeAll(async () => {
  api = await startApi();
  op = await login();
});
afterAll(() => api.close());

const login = async (email?: string) => (await logIn(api.url, email)).session;

const sql = (text: string, values: unknown[] = []) => api.deps.orm.em.getConnection().execute(text, values);
const search = (q: string, extra = '') => op.get(`/api/operator/brands?q=${encodeURIComponent(q)}${extra}`);
const tag = () => randomUUID().slice(0, 8);

/** A Professional brand with two apps, a pack of 500 tokens, three reconciled uses and a Stripe id. */
async function busyBrand() {
  const name = `Busy Optics ${tag()}`;
  const { session, user } = await signUp(api.url, { brandName: name });
  const customerId = user.customerId as string;
  const stripeCustomerId = `cus_op${tag()}${tag()}`;
  await sql('update customers set stripe_customer_id = ? where id = ?', [stripeCustomerId, customerId]);
  await putOnPlan(api.deps.orm, customerId, 'professional');
  await activateApps(api.deps.orm, api.deps.redis, customerId, ['frame-finder', 'pd-calculator']);
  await grant(api, customerId, 500);
  const key = await session.post('/api/api-keys', { name: 'server' });
  for (let i = 0; i < 3; i++) expect((await consume(api, key.body.secret, { app: 'frame-finder' })).status).toBe(200);
  await reconcileNow(api, customerId);
  const [cost] = await sql(`select cost_tokens from apps where slug = 'frame-finder'`);
  return { name, customerId, stripeCustomerId, email: user.email as string, admin: session, usedTokens: 3 * Number((cost as { cost_tokens: string }).cost_tokens) };
}

describe('GET /api/operator/brands', () => {
  let brand: Awaited<ReturnType<typeof busyBrand>>;
  beforeAll(async () => {
    brand = await busyBrand();
  });

  it('finds a brand by its name, an admin’s email, its Stripe id and its customer id, in any case and any part', async () => {
    const queries = [brand.name.toUpperCase(), brand.name.slice(5, 14), brand.email.toUpperCase(), brand.stripeCustomerId, brand.customerId, brand.customerId.slice(0, 8), brand.customerId.slice(9, 20)];
    for (const q of queries) {
      const res = await search(q);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
      expect({ q, ids: res.body.brands.map((b: { customerId: string }) => b.customerId) }).toEqual({ q, ids: expect.arrayContaining([brand.customerId]) });
    }
  });

  it('answers the brand’s plan, status, balance (as its billing page shows it), use this cycle, apps, activity and Temporal link', async () => {
    const res = await search(brand.customerId);
    const row = res.body.brands.find((b: { customerId: string }) => b.customerId === brand.customerId);
    const billing = (await brand.admin.get('/api/billing')).body;
    expect(row).toEqual({
      customerId: brand.customerId,
      name: brand.name,
      email: brand.email,
      stripeCustomerId: brand.stripeCustomerId,
      plan: 'professional',
      billingStatus: 'active',
      balance: billing.remainingTokens,
      tokensUsedThisCycle: brand.usedTokens,
      activeApps: ['frame-finder', 'pd-calculator'],
      lastActivityAt: expect.any(String),
      temporalUrl: expect.stringContaining(encodeURIComponent(`CustomerId="${brand.customerId}"`)),
    });
    expect(row.balance).toBe(500 - brand.usedTokens);
    expect(row.temporalUrl.startsWith(`${api.deps.config.temporal.uiUrl}/namespaces/`)).toBe(true);
    expect(Date.now() - Date.parse(row.lastActivityAt)).toBeLessThan(10 * 60_000);
  });

  it('answers null for an unlimited balance and for a brand that never subscribed', async () => {
    const { user } = await signUp(api.url, { brandName: `Fresh ${tag()}` });
    const fresh = (await search(user.customerId)).body.brands[0];
    expect(fresh).toMatchObject({ plan: null, billingStatus: null, balance: 0, tokensUsedThisCycle: 0, activeApps: [] });
    await sql(`insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = 'enterprise'`, [user.customerId]);
    expect((await search(user.customerId)).body.brands[0]).toMatchObject({ plan: 'enterprise', balance: null });
  });

  it('pages by name with a cursor: every match once, the last page without a cursor', async () => {
    const prefix = `Pager ${tag()}`;
    for (const n of ['C', 'a', 'B']) await signUp(api.url, { brandName: `${prefix} ${n}` });
    const first = await search(prefix, '&limit=2');
    expect(first.body.brands.map((b: { name: string }) => b.name)).toEqual([`${prefix} a`, `${prefix} B`]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await search(prefix, `&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.brands.map((b: { name: string }) => b.name)).toEqual([`${prefix} C`]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('takes an empty q and cursor as none: the first page of every brand', async () => {
    const res = await op.get('/api/operator/brands?q=&limit=3&cursor=');
    expect(res.status).toBe(200);
    expect(res.body.brands).toHaveLength(3);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('treats LIKE’s wildcards in a search as plain characters', async () => {
    const res = await search(`%_${tag()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ brands: [], nextCursor: null });
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['cursor=not%20a%20cursor', 'query.cursor'],
    [`cursor=${Buffer.from('["x","not-a-uuid"]').toString('base64url')}`, 'query.cursor'],
    [`q=${'x'.repeat(201)}`, 'query.q'],
  ])('refuses %s with 422 naming %s', async (query, path) => {
    const res = await op.get(`/api/operator/brands?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path, message: expect.any(String) })]);
  });
});

describe('GET /api/operator/brands/{customerId}', () => {
  it('answers the brand’s grants, newest ledger entries, packs, invoices and adjustments', async () => {
    const brand = await busyBrand();
    const purchaseId = randomUUID();
    await sql(
      `insert into token_pack_purchases (id, customer_id, pack_id, status, tokens, amount_cents, paid_at, refunded_cents)
       select ?, ?, id, 'credited', tokens, price_cents, now(), 0 from token_packs where lookup_key = 'tokens_1k'`,
      [purchaseId, brand.customerId],
    );
    await grant(api, brand.customerId, 25, 'adjustment');
    const res = await op.get(`/api/operator/brands/${brand.customerId}`);
    expect(res.status).toBe(200);
    const billing = (await brand.admin.get('/api/billing')).body;
    expect(res.body).toMatchObject({ customerId: brand.customerId, plan: 'professional', balance: billing.remainingTokens, pastDueSince: null, suspendAt: null, invoices: [] });
    expect(res.body.grants).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'token_pack', remaining: 500 - brand.usedTokens, expiresAt: null })]));
    expect(res.body.ledger[0]).toMatchObject({ kind: 'grant', amountTokens: 25, createdAt: expect.any(String) });
    expect(res.body.ledger.filter((l: { kind: string }) => l.kind === 'usage').reduce((s: number, l: { amountTokens: number }) => s - l.amountTokens, 0)).toBe(brand.usedTokens);
    expect(res.body.packs).toEqual([{ purchaseId, packId: 'tokens_1k', tokens: 1000, amountCents: 3900, paidAt: expect.any(String), refundedCents: 0, status: 'credited' }]);
    expect(res.body.adjustments).toEqual([]);
  });

  it('lists the paid invoices Stripe reported for the brand, with what was refunded of each', async () => {
    const brand = await busyBrand();
    const invoiceId = `in_op${tag()}`;
    const event = (id: string, type: string, object: Record<string, unknown>) =>
      sql(`insert into stripe_events (id, type, object_id, payload, processed_at) values (?, ?, ?, ?::jsonb, now())`, [
        id,
        type,
        object.id,
        JSON.stringify({ id, type, created: 1_790_000_000, data: { object } }),
      ]);
    await event(`evt_${tag()}`, 'invoice.paid', { id: invoiceId, object: 'invoice', customer: brand.stripeCustomerId, amount_paid: 19900, status_transitions: { paid_at: 1_790_000_000 } });
    // Cumulative, as Stripe reports it: the later event's amount is the invoice's refund.
    await event(`evt_${tag()}`, 'charge.refunded', { id: `ch_op${tag()}`, object: 'charge', invoice: invoiceId, amount: 19900, amount_refunded: 5000 });
    const res = await op.get(`/api/operator/brands/${brand.customerId}`);
    expect(res.body.invoices).toEqual([{ invoiceId, amountCents: 19900, paidAt: new Date(1_790_000_000_000).toISOString(), refundedCents: 5000 }]);
  });

  it('says when a past-due brand will be suspended', async () => {
    const { user } = await signUp(api.url, { brandName: `Late ${tag()}` });
    const since = new Date(Date.now() - 3_600_000);
    await sql(`insert into customer_billing (customer_id, plan_id, status, past_due_since, updated_at) select ?, id, 'past_due', ?, now() from billing_plans where lookup_key = 'starter'`, [user.customerId, since]);
    const res = await op.get(`/api/operator/brands/${user.customerId}`);
    expect(res.body).toMatchObject({ billingStatus: 'past_due', pastDueSince: since.toISOString(), suspendAt: new Date(since.getTime() + api.deps.config.billing.gracePeriodMs).toISOString() });
  });

  it('answers 404 NOT_FOUND naming params.customerId for an unknown brand, 422 for a malformed id', async () => {
    const unknown = await op.get(`/api/operator/brands/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'params.customerId' } });
    const bad = await op.get('/api/operator/brands/not-a-uuid');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ path: 'params.customerId' })]);
  });
});

describe('operator brand routes refuse everyone but operators', () => {
  it.each(['admin@demo.varai.test', 'manager@demo.varai.test', 'viewer@demo.varai.test'])('answers %s 403 FORBIDDEN on the list and the brand', async (email) => {
    const s = await login(email);
    const [row] = await sql(`select customer_id from users where email = ?`, [email]);
    const customerId = (row as { customer_id: string }).customer_id;
    for (const path of ['/api/operator/brands', `/api/operator/brands/${customerId}`]) {
      const res = await s.get(path);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
  });

  it('answers 401 without a session', async () => {
    expect((await new Session(api.url).get('/api/operator/brands')).status).toBe(401);
  });
});
