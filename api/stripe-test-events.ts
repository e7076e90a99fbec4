// "Complete this payment (test mode)": what `stripe trigger checkout.session.completed` does,
// for our own session. The event is signed with our webhook secret and handed to the webhook's
// own code in this process, so it takes exactly the production path without a network hop: no
// host from the request (Host, X-Forwarded-*) is ever dialled. Exists only while
// config.stripe.testPayments (a test key outside production; app.ts mounts the routes).
import { randomUUID } from 'node:crypto';
import type { TokenPackPurchase } from '../domain/entities';
import type { Deps } from './deps';
import { acceptStripeEvent } from './routes/stripe-webhooks';

/** An event as Stripe wraps an object, with a fresh test event id. */
export function stripeEvent(type: string, object: Record<string, unknown>, createdSeconds: number): Record<string, unknown> {
  return {
    id: `evt_test_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: createdSeconds,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** A checkout.session.completed event as Stripe sends it, carrying the paid session. */
export function checkoutCompletedEvent(purchase: TokenPackPurchase, nowMs: number): Record<string, unknown> {
  const purchaseId = purchase.id;
  return stripeEvent(
    'checkout.session.completed',
    {
      id: purchase.stripeCheckoutSessionId,
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      client_reference_id: purchaseId,
      metadata: { purchaseId, customerId: purchase.customer.id },
      customer: purchase.customer.stripeCustomerId ?? null,
      amount_total: purchase.amountCents,
      currency: purchase.currency,
      // One payment intent id per purchase, so a refund can be traced back to it.
      payment_intent: `pi_test_${purchaseId.replace(/-/g, '')}`,
      livemode: false,
    },
    Math.floor(nowMs / 1000),
  );
}

/** Signs `event` as Stripe would and gives it to the webhook's code; its id, and whether it was stored before. */
export async function deliverSignedEvent(deps: Deps, event: Record<string, unknown>): Promise<{ eventId: string; duplicate: boolean }> {
  const payload = JSON.stringify(event);
  const signature = deps.stripe.webhooks.generateTestHeaderString({ payload, secret: deps.config.stripe.webhookSecret });
  return acceptStripeEvent(deps, payload, signature);
}
