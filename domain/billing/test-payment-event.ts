// Test mode only: what Stripe's test mode would send after an off-session charge. stripe-mock
// answers every PaymentIntent with one canned object that never succeeds, so the auto top-up
// activity records the `payment_intent.succeeded` Stripe would have sent: signed with our
// webhook secret and verified by the same `constructEvent` the webhook uses, then stored in
// stripe_events, where creditTokenPack reads a test payment's proof (as for the Checkout test
// payments, api/stripe-test-events.ts). Live mode never calls this: Stripe's own answer decides.
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';

export interface SucceededIntent {
  eventId: string;
  paymentIntentId: string;
  amountCents: number;
  currency: string;
  stripeCustomerId: string;
  metadata: Record<string, string>;
}

export async function recordTestIntentSucceeded(em: EntityManager, stripe: Stripe, webhookSecret: string, intent: SucceededIntent, now: Date): Promise<string> {
  const event = {
    id: intent.eventId,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(now.getTime() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'payment_intent.succeeded',
    data: {
      object: { id: intent.paymentIntentId, object: 'payment_intent', status: 'succeeded', amount: intent.amountCents, amount_received: intent.amountCents, currency: intent.currency, customer: intent.stripeCustomerId, off_session: true, metadata: intent.metadata, livemode: false },
    },
  };
  const payload = JSON.stringify(event);
  const verified = stripe.webhooks.constructEvent(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }), webhookSecret);
  // Stored as handed over: the activity's answer reports the payment to its own purchase
  // workflow, so the relay has nothing to dispatch. A retried attempt finds its event stored.
  await em.execute(
    `insert into stripe_events (id, type, object_id, livemode, payload, processed_at) values (?, ?, ?, false, ?::jsonb, now())
     on conflict (id) do nothing`,
    [verified.id, verified.type, intent.paymentIntentId, payload],
  );
  return verified.id;
}
