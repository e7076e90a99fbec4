// Token packs end to end on the real Temporal dev server, stripe-mock, PostgreSQL and Redis:
// purchase → Checkout URL → signed webhook → credited once → revenue and receipt; the payment
// window elapsing; a refund taking back only the unused tokens.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { deliverSignedEvent } from '../support/stripe-webhook';
import { taskQueues, workflowIds } from '../../temporal.config';
import type { tokenPackPurchase } from '../../workflows/token-pack-purchase';
import { purchaseStateQuery } from '../../workflows/token-pack/messages';
import type { tokenPackRefund } from '../../workflows/token-pack-refund';
import { startApi, type TestApi } from '../support/api-server';
import { billingState, startBillingStack, type BillingStack } from '../support/billing';
import { signUp, type Session } from '../support/http';
import { consume, ledgerRows, meteredBrand, reconcileNow } from '../support/metering';
import type { TestSmtp } from '../support/smtp';
import { waitFor } from '../support/wait';

let stack: BillingStack;
let smtp: TestSmtp;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let api: TestApi;

// Billing too: a credited pack is reported to the brand's billing workflow.
beforeAll(async () => {
  stack = await startBillingStack([taskQueues.tokenPacks]);
  ({ env, api, smtp } = stack);
  orm = api.deps.orm;
});

afterAll(() => stack.stop());

async function buy(session: Session, pack = 'tokens_1k') {
  const res = await session.post('/api/billing/token-packs', { pack });
  if (res.status !== 201) throw new Error(`purchase failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { purchase: { id: string; status: string }; checkoutUrl: string };
}

const balanceOf = async (session: Session) => (await session.get('/api/usage/balance')).body.availableTokens as number;
const purchaseStatus = async (session: Session, id: string) => (await session.get(`/api/billing/token-packs/${id}`)).body.purchase.status as string;
const awaitStatus = (session: Session, id: string, status: string) => waitFor(() => purchaseStatus(session, id), (s) => s === status);

async function packGrants(purchaseId: string) {
  return orm.em.getConnection().execute<{ id: string; amount_tokens: string }[]>(
    "select id, amount_tokens from token_grants where source = 'token_pack' and source_ref = ?",
    [purchaseId],
  );
}

async function ledgerOnGrant(grantId: string, kind: string) {
  const [row] = await orm.em.getConnection().execute<{ count: string; sum: string | null }[]>(
    'select count(*) as count, sum(amount_tokens) as sum from ledger_entries where grant_id = ? and kind = ?',
    [grantId, kind],
  );
  return { count: Number(row!.count), sum: Number(row!.sum ?? 0) };
}

/** The event Stripe would send when the checkout of `purchaseId` is paid. */
async function checkoutCompleted(purchaseId: string) {
  const [row] = await orm.em.getConnection().execute<{ stripe_checkout_session_id: string; customer_id: string }[]>(
    'select stripe_checkout_session_id, customer_id from token_pack_purchases where id = ?',
    [purchaseId],
  );
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'checkout.session.completed',
    data: {
      object: {
        id: row!.stripe_checkout_session_id, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid',
        client_reference_id: purchaseId, metadata: { purchaseId, customerId: row!.customer_id }, payment_intent: `pi_${purchaseId.replace(/-/g, '')}`,
      },
    },
  };
}

const deliver = (event: Record<string, unknown>) => deliverSignedEvent(api.deps.stripe, api.deps.config.stripe.webhookSecret, `${api.url}/webhooks/stripe`, event);

describe('tokenPackPurchase', () => {
  it('answers a pending purchase and a Stripe Checkout URL', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/billing/token-packs', { pack: 'tokens_5k' });
    expect(res.status).toBe(201);
    expect(res.body.purchase).toMatchObject({ status: 'pending', pack: 'tokens_5k', tokens: 5_000, amountCents: 17_900, currency: 'usd' });
    expect(res.body.checkoutUrl).toMatch(/^https:\/\//);
    const [row] = await orm.em.getConnection().execute<{ stripe_checkout_session_id: string | null }[]>('select stripe_checkout_session_id from token_pack_purchases where id = ?', [res.body.purchase.id]);
    expect(row!.stripe_checkout_session_id).toMatch(/^cs_/);
    const state = await env.client.workflow.getHandle(workflowIds.tokenPack(res.body.purchase.id)).query(purchaseStateQuery);
    expect(state.step).toBe('awaiting-payment');
  });

  it('credits the pack once when the test payment completes: balance, one grant, one ledger entry', async () => {
    const { session } = await signUp(api.url);
    const before = await balanceOf(session);
    const { purchase } = await buy(session);
    const paid = await session.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    expect(paid.status).toBe(200);
    expect(paid.body.eventId).toMatch(/^evt_test_/);
    expect(await awaitStatus(session, purchase.id, 'credited')).toBe('credited');
    expect(await balanceOf(session)).toBe(before + 1_000);
    const grants = await packGrants(purchase.id);
    expect(grants).toHaveLength(1);
    expect(await ledgerOnGrant(grants[0]!.id, 'grant')).toEqual({ count: 1, sum: 1_000 });
  });

  it('reports the credited pack to the brand’s billing workflow, starting it with the first purchase', async () => {
    const { session, user } = await signUp(api.url);
    const { purchase } = await buy(session);
    await session.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    await env.client.workflow.getHandle(workflowIds.tokenPack(purchase.id)).result();
    const state = await billingState(env.client, user.customerId);
    expect(state.packCredits).toEqual([{ purchaseId: purchase.id, tokens: 1_000 }]);
    expect(state.recentMessages).toEqual([{ id: `pack-credited:${purchase.id}`, verdict: { outcome: 'credited' } }]);
  });

  it('credits once when the same event is delivered twice, and when a second payment event follows', async () => {
    const { session } = await signUp(api.url);
    const { purchase } = await buy(session);
    const event = await checkoutCompleted(purchase.id);
    const first = await deliver(event);
    const second = await deliver(event);
    expect(first).toEqual({ status: 200, body: { received: true } });
    expect(second).toEqual({ status: 200, body: { received: true, duplicate: true } });
    await awaitStatus(session, purchase.id, 'credited');
    const intent = { id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type: 'payment_intent.succeeded', livemode: false, created: Math.floor(Date.now() / 1000), data: { object: { id: `pi_${purchase.id.replace(/-/g, '')}`, object: 'payment_intent', metadata: { purchaseId: purchase.id } } } };
    expect((await deliver(intent)).status).toBe(200);
    await env.client.workflow.getHandle(workflowIds.tokenPack(purchase.id)).result();
    const grants = await packGrants(purchase.id);
    expect(grants).toHaveLength(1);
    expect(await ledgerOnGrant(grants[0]!.id, 'grant')).toEqual({ count: 1, sum: 1_000 });
    const [events] = await orm.em.getConnection().execute<{ count: string }[]>('select count(*) as count from stripe_events where id = ? and processed_at is not null', [event.id]);
    expect(Number(events!.count)).toBe(1);
  });

  it('records the revenue once and emails the receipt to the admin exactly once', async () => {
    const { session, user } = await signUp(api.url);
    const { purchase } = await buy(session, 'tokens_10k');
    await session.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    const handle = env.client.workflow.getHandle<typeof tokenPackPurchase>(workflowIds.tokenPack(purchase.id));
    expect(await handle.result()).toMatchObject({ step: 'credited' });
    // A late second payment event after the workflow ended sends nothing more.
    await session.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    await new Promise((r) => setTimeout(r, 500));
    const mails = smtp.mails.filter((m) => m.to.includes(user.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('10,000 tokens');
    const conn = orm.em.getConnection();
    const notes = await conn.execute<{ sent_at: Date | null }[]>('select sent_at from notifications where dedupe_key = ?', [`receipt:${purchase.id}`]);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.sent_at).not.toBeNull();
    const revenue = await conn.execute<{ details: { amount_cents: number } }[]>("select details from audit_log where action = 'revenue.token_pack' and target_id = ?", [purchase.id]);
    expect(revenue.map((r) => r.details.amount_cents)).toEqual([29_900]);
  });

  it('expires the checkout and credits nothing when the payment window elapses', async () => {
    const shortWindow = await startApi({ TOKEN_PACK_PAYMENT_WINDOW: '2s' });
    try {
      const { session } = await signUp(shortWindow.url);
      const { purchase } = await buy(session);
      const result = await env.client.workflow.getHandle<typeof tokenPackPurchase>(workflowIds.tokenPack(purchase.id)).result();
      expect(result).toEqual({ step: 'expired', grantId: null });
      expect(await purchaseStatus(session, purchase.id)).toBe('expired');
      expect(await packGrants(purchase.id)).toHaveLength(0);
    } finally {
      await shortWindow.close();
    }
  });

  it('takes back only the unused tokens of a refunded pack, as one clawback ledger entry', async () => {
    const brand = await meteredBrand(api);
    const { purchase } = await buy(brand.admin);
    await brand.admin.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    await awaitStatus(brand.admin, purchase.id, 'credited');
    for (let i = 0; i < 3; i++) expect((await consume(api, brand.apiKey, { app: 'virtual-try-on' })).status).toBe(200);
    await reconcileNow(api, brand.customerId);
    expect(await balanceOf(brand.admin)).toBe(1_000 - 15);

    const refund = {
      id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type: 'charge.refunded', livemode: false, created: Math.floor(Date.now() / 1000),
      data: { object: { id: `ch_${randomUUID().replace(/-/g, '')}`, object: 'charge', refunded: true, amount: 3_900, amount_refunded: 3_900, payment_intent: `pi_test_${purchase.id.replace(/-/g, '')}`, metadata: {} } },
    };
    expect((await deliver(refund)).status).toBe(200);
    // The webhook answers before the hand-over: the refund workflow starts a moment later.
    const refundHandle = env.client.workflow.getHandle<typeof tokenPackRefund>(workflowIds.tokenPackRefund(purchase.id, 3_900));
    await waitFor(() => refundHandle.describe().then(() => true, () => false), (started) => started, 5_000);
    const result = await refundHandle.result();
    expect(result).toEqual({ clawedBackTokens: 985 });
    expect(await purchaseStatus(brand.admin, purchase.id)).toBe('refunded');
    expect(await ledgerRows(orm, brand.customerId, 'clawback')).toEqual({ count: 1, sum: -985 });
    expect(await balanceOf(brand.admin)).toBe(0);
  });

  it('takes back the refunded share of a partly refunded pack, whatever the order of the refund events', async () => {
    const brand = await meteredBrand(api);
    const { purchase } = await buy(brand.admin);
    await brand.admin.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    await awaitStatus(brand.admin, purchase.id, 'credited');
    const refunded = (cents: number) => ({
      id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type: 'charge.refunded', livemode: false, created: Math.floor(Date.now() / 1000),
      data: { object: { id: `ch_${purchase.id.slice(0, 8)}`, object: 'charge', refunded: cents === 3_900, amount: 3_900, amount_refunded: cents, payment_intent: `pi_test_${purchase.id.replace(/-/g, '')}`, metadata: {} } },
    });
    const settle = async (cents: number) => {
      expect((await deliver(refunded(cents))).status).toBe(200);
      const handle = env.client.workflow.getHandle<typeof tokenPackRefund>(workflowIds.tokenPackRefund(purchase.id, cents));
      await waitFor(() => handle.describe().then(() => true, () => false), (started) => started, 5_000);
      return (await handle.result()).clawedBackTokens;
    };
    // Stripe refunded $19.50 and then $9.75 more ($29.25 in all), but the second event arrived first.
    expect(await settle(2_925)).toBe(750);
    expect(await settle(1_950)).toBe(0);
    expect(await purchaseStatus(brand.admin, purchase.id)).toBe('credited');
    expect(await balanceOf(brand.admin)).toBe(250);
    // The rest refunded: what is left of the pack goes.
    expect(await settle(3_900)).toBe(250);
    expect(await purchaseStatus(brand.admin, purchase.id)).toBe('refunded');
    expect(await ledgerRows(orm, brand.customerId, 'clawback')).toEqual({ count: 2, sum: -1_000 });
  });

  it('credits only the unrefunded share of a pack refunded in part before its payment reached us', async () => {
    const brand = await meteredBrand(api);
    const { purchase } = await buy(brand.admin);
    const refund = {
      id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type: 'charge.refunded', livemode: false, created: Math.floor(Date.now() / 1000),
      data: { object: { id: `ch_${purchase.id.slice(0, 8)}`, object: 'charge', refunded: false, amount: 3_900, amount_refunded: 1_950, payment_intent: `pi_test_${purchase.id.replace(/-/g, '')}`, metadata: { purchaseId: purchase.id } } },
    };
    expect((await deliver(refund)).status).toBe(200);
    const handle = env.client.workflow.getHandle<typeof tokenPackRefund>(workflowIds.tokenPackRefund(purchase.id, 1_950));
    await waitFor(() => handle.describe().then(() => true, () => false), (started) => started, 5_000);
    expect(await handle.result()).toEqual({ clawedBackTokens: 0 });

    await brand.admin.post(`/api/billing/token-packs/${purchase.id}/complete-test-payment`);
    await awaitStatus(brand.admin, purchase.id, 'credited');
    expect(await balanceOf(brand.admin)).toBe(500);
    expect(await ledgerRows(orm, brand.customerId, 'clawback')).toEqual({ count: 1, sum: -500 });
  });

  it('has no test payment with a live Stripe key: the route does not exist', async () => {
    const live = await startApi({ STRIPE_SECRET_KEY: 'sk_live_not_a_real_key' });
    try {
      const { session } = await signUp(live.url);
      const res = await session.post(`/api/billing/token-packs/${randomUUID()}/complete-test-payment`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await live.close();
    }
  });
});
