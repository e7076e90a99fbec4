// Operators' refunds, grace extensions and suspensions on the real stack (stripe-mock for the
// refund): a refunded pack loses exactly its unused tokens through the existing refund
// handling; a longer grace period moves the billing workflow's suspension timer; a brand
// suspended by hand has its widgets' debits refused until it is resumed.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { taskQueues, workflowIds } from '../../temporal.config';
import type { tokenPackRefund } from '../../workflows/token-pack-refund';
import { billingOf, billingState, startBillingStack, startBillingWorkflow, subscribe, type BillingStack } from '../support/billing';
import { logIn, Session } from '../support/http';
import { consume, ledgerRows, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let op: Session;

beforeAll(async () => {
  stack = await startBillingStack([taskQueues.tokenPacks]);
  ({ env } = stack);
  orm = stack.api.deps.orm;
  op = (await logIn(stack.api.url)).session;
});
afterAll(() => stack.stop());

const brandUrl = (b: MeteredBrand) => `/api/operator/brands/${b.customerId}`;

async function subscribedBrand(gracePeriodMs = 60_000): Promise<MeteredBrand> {
  const b = await meteredBrand(stack.api, { apps: ['pd-calculator'] });
  await startBillingWorkflow(env.client, b.customerId, { cycleLengthMs: 10 * 60_000, gracePeriodMs });
  await subscribe(b.admin, 'starter');
  return b;
}

async function pastDue(b: MeteredBrand) {
  expect((await b.admin.post('/api/billing/subscription/test-invoice', { outcome: 'payment_failed' })).status).toBe(200);
  return waitFor(() => billingOf(b.admin), (x) => x.status === 'past_due', 10_000);
}

const suspendAtRow = async (customerId: string) => {
  const [row] = await orm.em.getConnection().execute<{ suspend_at: string | null }[]>('select suspend_at from customer_billing where customer_id = ?', [customerId]);
  return row?.suspend_at ? new Date(row.suspend_at).toISOString() : null;
};

describe('POST /api/operator/brands/{customerId}/refunds', () => {
  it('refunds a pack through Stripe, and the refund handling takes back exactly its unused tokens, once', async () => {
    const b = await meteredBrand(stack.api, { apps: ['virtual-try-on'] });
    const bought = await b.admin.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    const purchaseId = bought.body.purchase.id as string;
    await b.admin.post(`/api/billing/token-packs/${purchaseId}/complete-test-payment`);
    await waitFor(async () => (await b.admin.get(`/api/billing/token-packs/${purchaseId}`)).body.purchase.status, (s) => s === 'credited', 15_000);
    for (let i = 0; i < 3; i++) expect((await consume(stack.api, b.apiKey, { app: 'virtual-try-on' })).status).toBe(200);

    const res = await op.post(`${brandUrl(b)}/refunds`, { kind: 'pack', id: purchaseId, reason: 'bought the wrong pack' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ refundId: expect.stringMatching(/^re_/), amountCents: 3_900, status: expect.any(String) });
    const run = env.client.workflow.getHandle<typeof tokenPackRefund>(workflowIds.tokenPackRefund(purchaseId, 3_900));
    await waitFor(() => run.describe().then(() => true, () => false), (started) => started, 5_000);
    // The three uses were still in Redis: the clawback counts them as spent.
    expect(await run.result()).toEqual({ clawedBackTokens: 985 });
    expect(await ledgerRows(orm, b.customerId, 'clawback')).toEqual({ count: 1, sum: -985 });
    await reconcileNow(stack.api, b.customerId);
    expect((await b.admin.get('/api/usage/balance')).body).toMatchObject({ availableTokens: 0, ledgerAvailableTokens: 0 });

    const again = await op.post(`${brandUrl(b)}/refunds`, { kind: 'pack', id: purchaseId, reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REFUNDED');
    expect(await ledgerRows(orm, b.customerId, 'clawback')).toEqual({ count: 1, sum: -985 });
  });

  it.each([
    ['pack', randomUUID()],
    ['pack', 'not-a-purchase'],
    ['invoice', 'in_doesnotexist'],
  ])('answers 404 NOT_FOUND on body.id for an unknown %s (%s)', async (kind, id) => {
    const b = await meteredBrand(stack.api);
    const res = await op.post(`${brandUrl(b)}/refunds`, { kind, id, reason: 'test' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'body.id' } });
  });

  it('refuses a pack not paid yet with 409 NOT_REFUNDABLE', async () => {
    const b = await meteredBrand(stack.api);
    const bought = await b.admin.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    const res = await op.post(`${brandUrl(b)}/refunds`, { kind: 'pack', id: bought.body.purchase.id, reason: 'test' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_REFUNDABLE');
  });
});

describe('POST /api/operator/brands/{customerId}/grace', () => {
  it('moves a past-due brand’s suspension later: the workflow’s timer moves with it', async () => {
    const b = await subscribedBrand(8_000);
    const billing = await pastDue(b);
    const planned = Date.parse(billing.pastDueSince) + 8_000;
    expect(await waitFor(() => suspendAtRow(b.customerId), (s) => s !== null, 5_000)).toBe(new Date(planned).toISOString());

    const res = await op.post(`${brandUrl(b)}/grace`, { days: 2, reason: 'card being replaced' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ suspendAt: new Date(planned + 2 * 24 * 3600 * 1000).toISOString() });
    expect(await suspendAtRow(b.customerId)).toBe(res.body.suspendAt);
    expect((await op.get(brandUrl(b))).body.suspendAt).toBe(res.body.suspendAt);
    // Past the original end of the grace period, the brand is still past due, not suspended.
    await new Promise((r) => setTimeout(r, Math.max(planned - Date.now(), 0) + 3_000));
    expect((await billingOf(b.admin)).status).toBe('past_due');
    expect((await billingState(env.client, b.customerId)).status).toBe('past_due');
  });

  it('refuses a brand that is not past due with 409 BILLING_CHANGE_REFUSED', async () => {
    const b = await subscribedBrand();
    const res = await op.post(`${brandUrl(b)}/grace`, { days: 3, reason: 'test' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BILLING_CHANGE_REFUSED');
  });

  it.each([[{ days: 0, reason: 'r' }, 'body.days'], [{ days: 31, reason: 'r' }, 'body.days'], [{ days: 2 }, 'body.reason']])('refuses %j with 422 naming %s', async (body, field) => {
    const b = await meteredBrand(stack.api);
    const res = await op.post(`${brandUrl(b)}/grace`, body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('POST /api/operator/brands/{customerId}/suspension', () => {
  it('suspends a brand by hand (its debits are refused, a paid invoice does not lift it) and resumes it', async () => {
    const b = await subscribedBrand();
    expect((await consume(stack.api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);

    const suspended = await op.post(`${brandUrl(b)}/suspension`, { action: 'suspend', reason: 'chargeback under review' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toEqual({ billingStatus: 'suspended' });
    const refused = await consume(stack.api, b.apiKey, { app: 'pd-calculator' });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('PAYMENT_REQUIRED');
    expect((await b.admin.post('/api/billing/subscription/test-invoice', { outcome: 'paid' })).status).toBe(200);
    await waitFor(() => billingState(env.client, b.customerId), (s) => s.paidInvoiceIds.length > 0, 10_000);
    expect((await billingOf(b.admin)).status).toBe('suspended');
    await waitFor(
      () => orm.em.getConnection().execute<{ kind: string }[]>("select kind from notifications where customer_id = ? and kind = 'billing.operator-suspended'", [b.customerId]),
      (n) => n.length === 1,
      15_000,
    );

    const resumed = await op.post(`${brandUrl(b)}/suspension`, { action: 'resume', reason: 'resolved' });
    expect(resumed.body).toEqual({ billingStatus: 'active' });
    expect((await consume(stack.api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
  });

  it('refuses to suspend a brand without a subscription with 409 BILLING_CHANGE_REFUSED', async () => {
    const b = await meteredBrand(stack.api);
    const res = await op.post(`${brandUrl(b)}/suspension`, { action: 'suspend', reason: 'test' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BILLING_CHANGE_REFUSED');
  });

  it('refuses brand staff with 403 FORBIDDEN', async () => {
    const b = await subscribedBrand();
    for (const path of ['suspension', 'grace', 'refunds']) {
      const res = await b.admin.post(`${brandUrl(b)}/${path}`, { action: 'suspend', days: 1, kind: 'pack', id: 'x', reason: 'me' });
      expect(res.status).toBe(403);
    }
  });
});
