// Stripe's subscription and invoice events reaching the billing workflow through
// POST /webhooks/stripe: duplicates apply once, arrival order does not change the outcome,
// and a bad signature changes nothing.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { deliverSignedEvent } from '../support/stripe-webhook';
import type { TestApi } from '../support/api-server';
import { billingOf, billingState, startBillingStack, startBillingWorkflow, type BillingStack } from '../support/billing';
import { meteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let env: TestWorkflowEnvironment;
let api: TestApi;

beforeAll(async () => {
  stack = await startBillingStack();
  ({ env, api } = stack);
});

afterAll(() => stack.stop());

const nowSeconds = () => Math.floor(Date.now() / 1000);

function subscriptionEvent(type: string, customerId: string, subscriptionId: string, plan: string, createdSeconds: number, status = 'active') {
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type,
    created: createdSeconds,
    livemode: false,
    data: {
      object: {
        id: subscriptionId,
        object: 'subscription',
        status,
        cancel_at_period_end: false,
        metadata: { customerId },
        items: { data: [{ id: 'si_x', current_period_start: createdSeconds, current_period_end: createdSeconds + 30 * 86_400, price: { id: `price_${plan}`, lookup_key: plan } }] },
      },
    },
  };
}

function invoiceEvent(type: string, customerId: string, subscriptionId: string, invoiceId: string) {
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type,
    created: nowSeconds(),
    livemode: false,
    data: { object: { id: invoiceId, object: 'invoice', parent: { subscription_details: { subscription: subscriptionId, metadata: { customerId } } } } },
  };
}

const deliver = (event: Record<string, unknown>, secret = api.deps.config.stripe.webhookSecret) => deliverSignedEvent(api.deps.stripe, secret, `${api.url}/webhooks/stripe`, event);

/** Delivers an event and waits until the workflow has applied it: the next one then arrives after it. */
async function deliverApplied(customerId: string, event: { id: string }) {
  expect((await deliver(event)).status).toBe(200);
  const state = await waitFor(() => billingState(env.client, customerId), (s) => s.recentMessages.some((m) => m.id === event.id));
  expect(state.recentMessages.some((m) => m.id === event.id)).toBe(true);
}

async function brand() {
  const b = await meteredBrand(api);
  await startBillingWorkflow(env.client, b.customerId);
  return { ...b, subscriptionId: `sub_${randomUUID().replace(/-/g, '').slice(0, 14)}` };
}

describe('billing webhooks', () => {
  it('applies a duplicated delivery once', async () => {
    const b = await brand();
    const created = subscriptionEvent('customer.subscription.created', b.customerId, b.subscriptionId, 'starter', nowSeconds());
    expect((await deliver(created)).body).toEqual({ received: true });
    expect((await deliver(created)).body).toEqual({ received: true, duplicate: true });
    // Applied once the workflow has recorded its verdict (the read model is written a moment before).
    const state = await waitFor(() => billingState(env.client, b.customerId), (st) => st.recentMessages.some((m) => m.id === created.id));
    expect(state.recentMessages.filter((m) => m.id === created.id)).toHaveLength(1);
    expect(await billingOf(b.admin)).toMatchObject({ allowanceTokens: 1_000, remainingTokens: 1_000 });
  });

  it('keeps the newer subscription version when an older one arrives after it', async () => {
    const b = await brand();
    const t = nowSeconds();
    await deliver(subscriptionEvent('customer.subscription.created', b.customerId, b.subscriptionId, 'professional', t - 10));
    await waitFor(() => billingOf(b.admin), (x) => x.plan?.lookupKey === 'professional');
    // Stripe sent "updated to enterprise" (newer) before "updated to starter" (older).
    await deliverApplied(b.customerId, subscriptionEvent('customer.subscription.updated', b.customerId, b.subscriptionId, 'enterprise', t));
    await deliverApplied(b.customerId, subscriptionEvent('customer.subscription.updated', b.customerId, b.subscriptionId, 'starter', t - 5));
    const state = await billingState(env.client, b.customerId);
    expect(state.recentMessages.map((m) => m.verdict)).toEqual([
      { outcome: 'started' },
      { outcome: 'upgraded' },
      { outcome: 'ignored', reason: 'an older version of the subscription than one already applied' },
    ]);
    expect(await billingOf(b.admin)).toMatchObject({ plan: { lookupKey: 'enterprise' }, pendingPlan: null, remainingTokens: null });
  });

  it('keeps a deleted subscription ended when an update for it arrives later', async () => {
    const b = await brand();
    const t = nowSeconds();
    await deliver(subscriptionEvent('customer.subscription.created', b.customerId, b.subscriptionId, 'starter', t - 10));
    await waitFor(() => billingOf(b.admin), (x) => x.status === 'active');
    await deliverApplied(b.customerId, subscriptionEvent('customer.subscription.deleted', b.customerId, b.subscriptionId, 'starter', t, 'canceled'));
    await deliverApplied(b.customerId, subscriptionEvent('customer.subscription.updated', b.customerId, b.subscriptionId, 'starter', t + 1));
    const state = await billingState(env.client, b.customerId);
    expect(state.recentMessages.map((m) => (m.verdict as { outcome: string }).outcome)).toEqual(['started', 'ended', 'ignored']);
    expect(await billingOf(b.admin)).toMatchObject({ status: 'canceled', plan: null, remainingTokens: 0 });
  });

  it('ignores a payment failure reported after the same invoice was paid', async () => {
    const b = await brand();
    await deliver(subscriptionEvent('customer.subscription.created', b.customerId, b.subscriptionId, 'starter', nowSeconds()));
    await waitFor(() => billingOf(b.admin), (x) => x.status === 'active');
    await deliverApplied(b.customerId, invoiceEvent('invoice.paid', b.customerId, b.subscriptionId, 'in_renewal_1'));
    await deliverApplied(b.customerId, invoiceEvent('invoice.payment_failed', b.customerId, b.subscriptionId, 'in_renewal_1'));
    const state = await billingState(env.client, b.customerId);
    expect(state.recentMessages[2]!.verdict).toEqual({ outcome: 'ignored', reason: 'invoice in_renewal_1 is paid already' });
    expect((await billingOf(b.admin)).status).toBe('active');
  });

  it('refuses a badly signed subscription event, changing nothing', async () => {
    const b = await brand();
    const res = await deliver(subscriptionEvent('customer.subscription.created', b.customerId, b.subscriptionId, 'starter', nowSeconds()), 'whsec_forged');
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
    await new Promise((r) => setTimeout(r, 300));
    expect(await billingOf(b.admin)).toMatchObject({ plan: null, status: null });
  });
});
