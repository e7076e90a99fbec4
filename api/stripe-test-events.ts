// "Complete this payment (test mode)": what `stripe trigger checkout.session.completed` does,
// for our own session. The event is signed with our webhook secret and POSTed to our own
// webhook endpoint, so it takes exactly the production path. Refused with live keys.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { TokenPackPurchase } from '../domain/entities';

export const isLiveKey = (secretKey: string) => secretKey.startsWith('sk_live_');

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

/** POSTs `event` to `webhookUrl`, signed as Stripe signs it. */
export async function deliverSignedEvent(stripe: Stripe, secret: string, webhookUrl: string, event: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the caller.
  }
  return { status: res.status, body };
}
