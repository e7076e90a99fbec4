// stripe_events as an outbox: the webhook answers before the hand-over to Temporal; a hand-over
// that fails is recorded and backed off; the relay hands over what a crash left behind.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type Stripe from 'stripe';
import { relayStripeEvents } from '../../stripe-relay/outbox';
import { deliverSignedEvent } from '../support/stripe-webhook';
import type { TestApi } from '../support/api-server';
import { billingOf, startBillingStack, startBillingWorkflow, type BillingStack } from '../support/billing';
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

function subscriptionCreated(customerId: string): Stripe.Event {
  const created = Math.floor(Date.now() / 1000);
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type: 'customer.subscription.created',
    created,
    livemode: false,
    data: { object: { id: `sub_${randomUUID().slice(0, 8)}`, object: 'subscription', status: 'active', cancel_at_period_end: false, metadata: { customerId }, items: { data: [{ id: 'si_1', current_period_start: created, current_period_end: created + 86_400, price: { lookup_key: 'starter' } }] } } },
  } as unknown as Stripe.Event;
}

const stored = async (id: string) =>
  (await api.deps.orm.em.getConnection().execute<{ processed_at: Date | null; dispatch_attempts: number; last_error: string | null; next_attempt_at: Date | null }[]>('select processed_at, dispatch_attempts, last_error, next_attempt_at from stripe_events where id = ?', [id]))[0]!;
const relayDeps = () => ({ config: api.deps.config, orm: api.deps.orm, temporal: env.client, logger: pino({ level: 'silent' }) });

describe('the Stripe event outbox', () => {
  it('records a hand-over refused by a closed billing workflow, backs it off, and still answers Stripe 200', async () => {
    const b = await meteredBrand(api);
    const handle = await startBillingWorkflow(env.client, b.customerId);
    await handle.terminate('test: support closed it');
    const event = subscriptionCreated(b.customerId);
    const res = await deliverSignedEvent(api.deps.stripe, api.deps.config.stripe.webhookSecret, `${api.url}/webhooks/stripe`, event as unknown as Record<string, unknown>);
    expect(res).toEqual({ status: 200, body: { received: true } });
    const row = await waitFor(() => stored(event.id), (r) => r.dispatch_attempts > 0);
    expect(row).toMatchObject({ processed_at: null, dispatch_attempts: 1 });
    expect(row.last_error).toMatch(/billing workflow of brand .* is closed/);
    expect(new Date(row.next_attempt_at!).getTime()).toBeGreaterThan(Date.now());
    // Backing off: a relay pass now does not try it again.
    await relayStripeEvents(relayDeps(), { graceMs: 0, limit: 1_000 });
    expect((await stored(event.id)).dispatch_attempts).toBe(1);
  });

  it('hands over an event a crash left stored but not dispatched', async () => {
    const b = await meteredBrand(api);
    await startBillingWorkflow(env.client, b.customerId);
    const event = subscriptionCreated(b.customerId);
    // As if the API died right after storing it.
    await api.deps.orm.em.getConnection().execute(
      `insert into stripe_events (id, type, object_id, payload, received_at) values (?, ?, ?, ?::jsonb, now() - interval '1 minute')`,
      [event.id, event.type, (event.data.object as { id: string }).id, JSON.stringify(event)],
    );
    expect(await relayStripeEvents(relayDeps(), { graceMs: 10_000, limit: 1_000 })).toBeGreaterThanOrEqual(1);
    expect((await stored(event.id)).processed_at).not.toBeNull();
    const billing = await waitFor(() => billingOf(b.admin), (x) => x.plan?.lookupKey === 'starter');
    expect(billing).toMatchObject({ status: 'active', allowanceTokens: 1_000 });
  });
});
