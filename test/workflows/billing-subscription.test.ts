// Subscriptions, cycles, dunning and alerts end to end, on the real Temporal dev server,
// stripe-mock, PostgreSQL and Redis: the API and signed webhooks drive the billing workflow,
// which runs short cycles (its input says how long) so whole cycles pass in seconds.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { UsageSignaler } from '../../reconciler/usage-signaler';
import { loadConfig } from '../../domain/infra/config';
import { searchAttributes, taskQueues, workflowIds } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { billingOf, billingState, startBillingStack, startBillingWorkflow, subscribe, type BillingStack } from '../support/billing';
import { signUp } from '../support/http';
import { activateApps, consume, grant, meteredBrand, reconcileNow } from '../support/metering';
import type { TestSmtp } from '../support/smtp';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let api: TestApi;
let smtp: TestSmtp;

beforeAll(async () => {
  stack = await startBillingStack([taskQueues.activations]);
  ({ env, api, smtp } = stack);
  orm = api.deps.orm;
});

afterAll(() => stack.stop());

const minute = 60_000;

async function brand(opts: { cycleLengthMs?: number; gracePeriodMs?: number; apps?: string[] } = {}) {
  const b = await meteredBrand(api, { apps: opts.apps ?? ['pd-calculator', 'advanced-analytics'] });
  await startBillingWorkflow(env.client, b.customerId, { cycleLengthMs: opts.cycleLengthMs ?? 10 * minute, gracePeriodMs: opts.gracePeriodMs ?? minute });
  return b;
}

async function use(b: { customerId: string; apiKey: string }, app: string, times: number) {
  for (let i = 0; i < times; i++) {
    const r = await consume(api, b.apiKey, { app });
    if (r.status !== 200) throw new Error(`consume ${app}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  await reconcileNow(api, b.customerId);
}

const rows = <T>(sql: string, params: unknown[]) => orm.em.getConnection().execute<T[]>(sql, params);
const notices = (customerId: string, kind: string) => rows<{ subject: string; body: string; sent_at: Date | null }>('select subject, body, sent_at from notifications where customer_id = ? and kind = ? order by created_at', [customerId, kind]);

describe('subscribing', () => {
  it('grants the plan allowance once the checkout is paid, and shows the plan in the search attributes', async () => {
    const b = await brand();
    const { checkoutUrl, billing } = await subscribe(b.admin, 'starter');
    expect(checkoutUrl).toMatch(/^https:\/\//);
    expect(billing).toMatchObject({ status: 'active', allowanceTokens: 1_000, usedAllowanceTokens: 0, remainingTokens: 1_000, cancelAtPeriodEnd: false, pendingPlan: null });
    // Upserted by the workflow task after the read model is written, so a moment later.
    const handle = env.client.workflow.getHandle(workflowIds.billing(b.customerId));
    const attributes = await waitFor(async () => (await handle.describe()).typedSearchAttributes, (a) => a.get(searchAttributes.planTier) === 'starter', 5_000);
    expect(attributes.get(searchAttributes.planTier)).toBe('starter');
    expect(attributes.get(searchAttributes.billingStatus)).toBe('active');
    expect(await consume(api, b.apiKey, { app: 'pd-calculator' })).toMatchObject({ status: 200, body: { remainingTokens: 999 } });
  });

  it('replaces an allowance granted without a subscription (the demo brand’s) with the plan’s', async () => {
    const b = await brand();
    await grant(api, b.customerId, 500, 'plan_allowance', { expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    const { billing } = await subscribe(b.admin, 'starter');
    expect(billing).toMatchObject({ allowanceTokens: 1_000, remainingTokens: 1_000 });
    const [expired] = await rows<{ sum: string }>("select sum(amount_tokens) as sum from ledger_entries where customer_id = ? and kind = 'expiry'", [b.customerId]);
    expect(Number(expired!.sum)).toBe(-500);
  });

  it('answers a repeated request with the same Idempotency-Key with the first verdict, making one checkout', async () => {
    const b = await brand();
    const first = await b.admin.post('/api/billing/subscription', { plan: 'starter' }, { 'idempotency-key': 'choose-1' });
    const again = await b.admin.post('/api/billing/subscription', { plan: 'starter' }, { 'idempotency-key': 'choose-1' });
    expect(first.body.outcome).toBe('checkout');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('refuses a plan change with nothing to change as a 409 with the reason', async () => {
    const b = await brand();
    const res = await b.admin.post('/api/billing/subscription/cancel');
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'BILLING_CHANGE_REFUSED', message: 'there is no subscription to change' } } });
  });

  it('answers 503 while support has closed the brand’s billing workflow, and starts no new one', async () => {
    const b = await meteredBrand(api);
    const handle = await startBillingWorkflow(env.client, b.customerId);
    await handle.terminate('test: support closed it');
    const res = await b.admin.post('/api/billing/subscription', { plan: 'starter' });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'Billing for this brand is paused by support. Try again later or contact support.' } } });
    expect((await handle.describe()).status.name).toBe('TERMINATED');
  });

  it('refuses a test payment with no checkout pending', async () => {
    const b = await brand();
    const res = await b.admin.post('/api/billing/subscription/complete-test-payment');
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'NO_PENDING_CHECKOUT' } } });
  });
});

describe('plan changes', () => {
  it('upgrades at once: the allowance rises to the new plan, minus what this cycle used', async () => {
    const b = await brand();
    await subscribe(b.admin, 'starter');
    await use(b, 'advanced-analytics', 3);
    const res = await b.admin.post('/api/billing/subscription', { plan: 'professional' });
    expect(res).toMatchObject({ status: 200, body: { outcome: 'upgraded' } });
    expect(await billingOf(b.admin)).toMatchObject({ plan: { lookupKey: 'professional' }, allowanceTokens: 10_000, usedAllowanceTokens: 30, remainingTokens: 9_970 });
  });

  it('downgrades at the period end, then turns off the apps the new plan excludes, with a notice', async () => {
    const b = await brand({ cycleLengthMs: 6_000, apps: ['pd-calculator', 'virtual-try-on'] });
    await subscribe(b.admin, 'professional');
    const res = await b.admin.post('/api/billing/subscription', { plan: 'starter' });
    expect(res).toMatchObject({ status: 200, body: { outcome: 'downgrade-scheduled' } });
    expect(await billingOf(b.admin)).toMatchObject({ plan: { lookupKey: 'professional' }, pendingPlan: { lookupKey: 'starter' }, allowanceTokens: 10_000 });

    const after = await waitFor(() => billingOf(b.admin), (x) => x.plan?.lookupKey === 'starter', 20_000);
    expect(after).toMatchObject({ plan: { lookupKey: 'starter' }, pendingPlan: null, allowanceTokens: 1_000, remainingTokens: 1_000 });
    const tryOn = await waitFor(
      () => rows<{ status: string }>("select c.status from customer_apps c join apps a on a.id = c.app_id where c.customer_id = ? and a.slug = 'virtual-try-on'", [b.customerId]),
      (r) => r[0]?.status === 'inactive',
    );
    expect(tryOn[0]!.status).toBe('inactive');
    expect(await waitFor(() => notices(b.customerId, 'app.deactivated_by_plan'), (n) => n.length > 0, 5_000)).toEqual([expect.objectContaining({ subject: 'Virtual Try-On was turned off' })]);
    expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).body.error.code).toBe('APP_NOT_ACTIVE');
  });

  it('withdraws a pending downgrade when the current plan is chosen again', async () => {
    const b = await brand();
    await subscribe(b.admin, 'professional');
    await b.admin.post('/api/billing/subscription', { plan: 'starter' });
    const back = await b.admin.post('/api/billing/subscription', { plan: 'professional' });
    expect(back.body.outcome).toBe('updated');
    expect((await billingOf(b.admin)).pendingPlan).toBeNull();
  });

  it('cancels at the period end, resumes, ends the plan at the period end after a second cancel, and subscribes again', async () => {
    const b = await brand({ cycleLengthMs: 6_000 });
    await subscribe(b.admin, 'starter');
    expect((await b.admin.post('/api/billing/subscription/cancel')).body.outcome).toBe('cancel-scheduled');
    expect((await billingOf(b.admin)).cancelAtPeriodEnd).toBe(true);
    expect((await b.admin.post('/api/billing/subscription/resume')).body.outcome).toBe('resumed');
    expect((await billingOf(b.admin)).cancelAtPeriodEnd).toBe(false);
    await b.admin.post('/api/billing/subscription/cancel');
    const ended = await waitFor(() => billingOf(b.admin), (x) => x.status === 'canceled', 20_000);
    expect(ended).toMatchObject({ status: 'canceled', plan: null, cycle: null, allowanceTokens: 0, remainingTokens: 0 });
    const [expired] = await rows<{ n: number }>("select count(*)::int as n from ledger_entries where customer_id = ? and kind = 'expiry'", [b.customerId]);
    expect(expired!.n).toBe(1);

    // Subscribing again starts a new subscription and cycle.
    const again = await subscribe(b.admin, 'professional');
    expect(again.billing).toMatchObject({ status: 'active', allowanceTokens: 10_000, remainingTokens: 10_000 });
  }, 40_000);
});

describe('cycles', () => {
  it('expires the unused allowance and grants the next at each cycle end, with a summary mail, keeping each run small', async () => {
    // Long enough for the five uses to land in the first cycle on a busy machine.
    const b = await brand({ cycleLengthMs: 8_000 });
    await subscribe(b.admin, 'starter');
    await use(b, 'pd-calculator', 5);
    const state = await waitFor(() => billingState(env.client, b.customerId), (s) => s.cyclesClosed >= 2, 40_000);
    expect(state.cyclesClosed).toBeGreaterThanOrEqual(2);

    const cycles = await rows<{ uses: number; used_tokens: string; expired_tokens: string; allowance_tokens: string }>(
      'select uses, used_tokens, expired_tokens, allowance_tokens from billing_cycles where customer_id = ? order by start_at',
      [b.customerId],
    );
    // On a loaded machine a use may land in the second cycle: each cycle expires exactly what it left.
    const firstTwo = cycles.slice(0, 2).map((c) => ({ uses: c.uses, used: Number(c.used_tokens), expired: Number(c.expired_tokens), allowance: Number(c.allowance_tokens) }));
    expect(firstTwo.reduce((n, c) => n + c.uses, 0)).toBe(5);
    for (const c of firstTwo) expect(c).toEqual({ uses: c.used, used: c.used, expired: 1_000 - c.used, allowance: 1_000 });
    const grants = await rows<{ n: number }>("select count(*)::int as n from token_grants where customer_id = ? and source = 'plan_allowance'", [b.customerId]);
    expect(grants[0]!.n).toBeGreaterThanOrEqual(3);
    expect(await billingOf(b.admin)).toMatchObject({ allowanceTokens: 1_000, remainingTokens: 1_000 });
    // The fast path sees the new cycle too: the old allowance is gone from the cache, the new one is in it.
    expect(await consume(api, b.apiKey, { app: 'pd-calculator' })).toMatchObject({ status: 200, body: { remainingTokens: 999 } });

    const [admin] = await rows<{ email: string }>("select email from users where customer_id = ? and role = 'admin'", [b.customerId]);
    const summariesOf = async () => smtp.mails.filter((m) => m.subject.startsWith('Your cycle summary') && m.to.includes(admin!.email));
    const summaries = await waitFor(summariesOf, (m) => m.length >= 2, 5_000);
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    const grouped = (n: number) => n.toLocaleString('en-US');
    expect(summaries.filter((m) => m.raw.includes(`Unused allowance expired: ${grouped(firstTwo[0]!.expired)}\n`) || m.raw.includes(`Unused allowance expired: ${grouped(firstTwo[0]!.expired)}\r`)).length).toBeGreaterThanOrEqual(1);

    // Each cycle continues as new: the current run holds one cycle's events, not the brand's whole life.
    const handle = env.client.workflow.getHandle(workflowIds.billing(b.customerId));
    const history = await handle.fetchHistory();
    expect(history.events!.length).toBeLessThan(80);
  }, 70_000);
});

describe('payment failure', () => {
  it('goes past_due, is suspended after the grace period (consume answers 402), and is active again once paid', async () => {
    const b = await brand({ gracePeriodMs: 3_000 });
    await subscribe(b.admin, 'starter');
    expect((await b.admin.post('/api/billing/subscription/test-invoice', { outcome: 'payment_failed' })).status).toBe(200);
    const pastDue = await waitFor(() => billingOf(b.admin), (x) => x.status === 'past_due');
    expect(pastDue.pastDueSince).not.toBeNull();
    expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    expect((await waitFor(() => notices(b.customerId, 'billing.payment-failed'), (n) => n.length > 0, 5_000)).length).toBe(1);

    await waitFor(() => billingOf(b.admin), (x) => x.status === 'suspended', 20_000);
    expect(await consume(api, b.apiKey, { app: 'pd-calculator' })).toMatchObject({ status: 402, body: { error: { code: 'PAYMENT_REQUIRED' } } });
    const handle = env.client.workflow.getHandle(workflowIds.billing(b.customerId));
    const status = await waitFor(async () => (await handle.describe()).typedSearchAttributes.get(searchAttributes.billingStatus), (s) => s === 'suspended', 5_000);
    expect(status).toBe('suspended');

    await b.admin.post('/api/billing/subscription/test-invoice', { outcome: 'paid' });
    await waitFor(() => billingOf(b.admin), (x) => x.status === 'active');
    expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    expect((await waitFor(() => notices(b.customerId, 'billing.reactivated'), (n) => n.length > 0, 5_000)).length).toBe(1);
  }, 40_000);
});

describe('usage alerts', () => {
  it('fire once per threshold per cycle, by email and in notifications, within 5 s of the crossing', async () => {
    const b = await brand();
    await subscribe(b.admin, 'starter');
    expect((await b.admin.put('/api/billing/alerts', { thresholds: [2, 1] })).body.thresholds).toEqual([1, 2]);
    const signaler = new UsageSignaler(orm, env.client, pino({ level: 'silent' }), loadConfig());

    await use(b, 'advanced-analytics', 1);
    const crossedAt = Date.now();
    await signaler.sendPending();
    const first = await waitFor(() => notices(b.customerId, 'usage.alert'), (n) => n.length >= 1 && n.every((x) => x.sent_at), 5_000);
    expect(Date.now() - crossedAt).toBeLessThan(5_000);
    expect(first.map((n) => n.subject)).toEqual(["You have used 1% of this cycle's tokens"]);

    await use(b, 'advanced-analytics', 2);
    await signaler.sendPending();
    await waitFor(() => notices(b.customerId, 'usage.alert'), (n) => n.length >= 2);
    await use(b, 'advanced-analytics', 2);
    await signaler.sendPending();
    await new Promise((r) => setTimeout(r, 1_000));
    const all = await notices(b.customerId, 'usage.alert');
    expect(all.map((n) => n.subject)).toEqual(["You have used 1% of this cycle's tokens", "You have used 2% of this cycle's tokens"]);
    expect(all.every((n) => n.sent_at !== null)).toBe(true);
    expect(smtp.mails.filter((m) => m.subject === "You have used 2% of this cycle's tokens").length).toBeGreaterThanOrEqual(1);
  });

  it('refuses thresholds outside 1–100 naming the field', async () => {
    const { session } = await signUp(api.url);
    const res = await session.put('/api/billing/alerts', { thresholds: [0, 150] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].path).toMatch(/^body\.thresholds/);
  });
});

describe('activating apps with the subscription', () => {
  it('keeps activation entitlement in step with the plan', async () => {
    const b = await brand();
    await activateApps(api.deps.orm, api.deps.redis, b.customerId, ['pd-calculator']);
    await subscribe(b.admin, 'starter');
    const res = await b.admin.post('/api/apps/virtual-try-on/activate');
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'PLAN_UPGRADE_REQUIRED' } } });
  });
});

