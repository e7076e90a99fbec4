// Issue 11, item 1 downstream of the routes: tokens and plans are given only when Stripe says
// the money arrived. A pack is credited only for a paid Checkout session (test mode: the signed
// event says `paid`; live mode: the session retrieved from Stripe says so), an unpaid one stays
// pending and is recorded, and in live mode a subscription Stripe cannot confirm is ignored
// rather than taken from the event's own copy.
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { createBillingActivities } from '../../activities/billing';
import { createTokenPackActivities } from '../../activities/token-packs';
import { sendBillingMessage } from '../../clients/billing';
import { loadConfig } from '../../domain/infra/config';
import { createMailer } from '../../domain/notify/mailer';
import { taskQueues, workflowIds } from '../../temporal.config';
import { purchaseStateQuery } from '../../workflows/token-pack/messages';
import type { TestApi } from '../support/api-server';
import { startBillingStack, type BillingStack } from '../support/billing';
import { signUp, type Session } from '../support/http';
import { deliverSignedEvent } from '../support/stripe-webhook';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let api: TestApi;

beforeAll(async () => {
  stack = await startBillingStack([taskQueues.tokenPacks]);
  api = stack.api;
});

/** Every event this file delivered: their hand-overs must finish before the API closes, or another file's relay pass inherits them. */
const delivered: string[] = [];

afterAll(async () => {
  const pending = () => api.deps.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from stripe_events where id in (?) and processed_at is null', [delivered]);
  if (delivered.length > 0) await waitFor(pending, (rows) => rows.length === 0);
  await stack.stop();
});

function deliver(event: Record<string, unknown> & { id: string }) {
  delivered.push(event.id);
  return deliverSignedEvent(api.deps.stripe, api.deps.config.stripe.webhookSecret, `${api.url}/webhooks/stripe`, event);
}
const purchaseStatus = async (session: Session, id: string) => (await session.get(`/api/billing/token-packs/${id}`)).body.purchase.status as string;
const purchaseState = (id: string) => stack.env.client.workflow.getHandle(workflowIds.tokenPack(id)).query(purchaseStateQuery);

async function packGrants(purchaseId: string): Promise<number> {
  const [row] = await api.deps.orm.em.fork().getConnection().execute<{ count: string }[]>("select count(*) as count from token_grants where source = 'token_pack' and source_ref = ?", [purchaseId]);
  return Number(row!.count);
}

async function buy(session: Session): Promise<{ id: string; sessionId: string; customerId: string }> {
  const res = await session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
  if (res.status !== 201) throw new Error(`purchase failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.purchase.id as string;
  const [row] = await api.deps.orm.em.fork().getConnection().execute<{ stripe_checkout_session_id: string; customer_id: string }[]>('select stripe_checkout_session_id, customer_id from token_pack_purchases where id = ?', [id]);
  return { id, sessionId: row!.stripe_checkout_session_id, customerId: row!.customer_id };
}

/** A signed checkout event for the purchase, as Stripe sends it, with the payment status given. */
function checkoutEvent(type: string, p: { id: string; sessionId: string; customerId: string }, paymentStatus: string) {
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: p.sessionId, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: paymentStatus, livemode: false, client_reference_id: p.id, metadata: { purchaseId: p.id, customerId: p.customerId }, payment_intent: `pi_${p.id.replace(/-/g, '')}` } },
  };
}

function activityDeps(stripeMode: 'live' | 'test') {
  const config = loadConfig();
  return { orm: api.deps.orm, stripe: api.deps.stripe, redis: api.deps.redis, mailer: createMailer(config), temporal: stack.env.client, billingStart: config, stripeMode };
}

describe('a token pack', () => {
  it('is not credited for a signed event that says no payment was required, and is recorded pending until paid', async () => {
    const { session } = await signUp(api.url);
    const purchase = await buy(session);
    const free = checkoutEvent('checkout.session.completed', purchase, 'no_payment_required');
    expect((await deliver(free)).status).toBe(200);
    const state = await waitFor(() => purchaseState(purchase.id), (s) => (s.unconfirmedEventIds ?? []).includes(free.id));
    expect(state.unconfirmedEventIds).toEqual([free.id]);
    expect(state.step).toBe('awaiting-payment');
    expect(await purchaseStatus(session, purchase.id)).toBe('pending');
    expect(await packGrants(purchase.id)).toBe(0);

    const paid = await session.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    expect(paid.status).toBe(200);
    delivered.push(paid.body.eventId);
    expect(await waitFor(() => purchaseStatus(session, purchase.id), (s) => s === 'credited')).toBe('credited');
    expect(await packGrants(purchase.id)).toBe(1);
  });

  it('is credited once a delayed payment succeeds (checkout.session.async_payment_succeeded)', async () => {
    const { session } = await signUp(api.url);
    const purchase = await buy(session);
    expect((await deliver(checkoutEvent('checkout.session.completed', purchase, 'unpaid'))).status).toBe(200);
    expect((await deliver(checkoutEvent('checkout.session.async_payment_succeeded', purchase, 'paid'))).status).toBe(200);
    expect(await waitFor(() => purchaseStatus(session, purchase.id), (s) => s === 'credited')).toBe('credited');
    expect(await packGrants(purchase.id)).toBe(1);
  });

  it('is not credited in live mode when the session Stripe returns is unpaid, whatever the event said', async () => {
    const { session } = await signUp(api.url);
    const purchase = await buy(session);
    // A signed "paid" event is stored, as a leaked webhook secret would allow; stripe-mock's session says unpaid.
    const forged = checkoutEvent('checkout.session.completed', purchase, 'paid');
    // Stored as handed over already, so no relay dispatches it.
    await api.deps.orm.em.fork().getConnection().execute('insert into stripe_events (id, type, object_id, livemode, payload, processed_at) values (?, ?, ?, true, ?::jsonb, now())', [forged.id, forged.type, purchase.sessionId, JSON.stringify({ ...forged, livemode: true })]);
    const live = createTokenPackActivities(activityDeps('live'));
    await expect(live.creditTokenPack({ purchaseId: purchase.id, paymentIntentId: null, eventId: forged.id })).resolves.toEqual({ outcome: 'unpaid' });
    expect(await packGrants(purchase.id)).toBe(0);
  });

  it('is not credited in test mode for a payment report that no stored signed event backs', async () => {
    const { session } = await signUp(api.url);
    const purchase = await buy(session);
    const test = createTokenPackActivities(activityDeps('test'));
    await expect(test.creditTokenPack({ purchaseId: purchase.id, paymentIntentId: null, eventId: `evt_${randomUUID().replace(/-/g, '')}` })).resolves.toEqual({ outcome: 'unpaid' });
    expect(await packGrants(purchase.id)).toBe(0);
  });
});

/** An Enterprise subscription as a forged event would carry it, unknown to Stripe. */
function forgedSnapshot() {
  const now = Date.now();
  return { subscriptionId: `sub_${randomUUID().slice(0, 12)}`, stripeStatus: 'active', plan: 'enterprise' as const, periodStartAt: new Date(now).toISOString(), periodEndAt: new Date(now + 30 * 86_400_000).toISOString(), cancelAtPeriodEnd: false, observedAtMs: now };
}

describe('a subscription', () => {
  it('is refused in live mode when Stripe cannot confirm it, instead of taking the event’s copy', async () => {
    const live = createBillingActivities(activityDeps('live'));
    const failure = await live.currentSubscription({ snapshot: forgedSnapshot() }).then(() => null, (err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'STRIPE_UNCONFIRMED', nonRetryable: true });
  });

  it('keeps the event’s copy in test mode, where stripe-mock answers canned objects', async () => {
    const snapshot = forgedSnapshot();
    await expect(createBillingActivities(activityDeps('test')).currentSubscription({ snapshot })).resolves.toEqual(snapshot);
  });

  it('is ignored by a billing workflow whose Stripe is live: no plan is given for it', async () => {
    const prefix = `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}live-`;
    let worker: TestWorker | undefined;
    const { user } = await signUp(api.url);
    const workflowId = workflowIds.billing(user.customerId);
    try {
      worker = await startTestWorker(taskQueues.billing, { TEMPORAL_TASK_QUEUE_PREFIX: prefix }, { stripeMode: 'live' });
      const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE_PREFIX: prefix });
      const { verdict } = await sendBillingMessage(stack.env.client, config, user.customerId, { id: `evt_${randomUUID().replace(/-/g, '')}`, request: { kind: 'subscription', snapshot: forgedSnapshot() } });
      expect(verdict).toMatchObject({ outcome: 'ignored' });
      expect((await api.deps.orm.em.fork().getConnection().execute<{ plan_id: string | null }[]>('select plan_id from customer_billing where customer_id = ?', [user.customerId]))[0]?.plan_id ?? null).toBeNull();
    } finally {
      await stack.env.client.workflow.getHandle(workflowId).terminate('test done').catch(() => undefined);
      await worker?.stop();
    }
  });
});
