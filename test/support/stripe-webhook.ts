// Tests deliver Stripe events as Stripe does: signed with the webhook secret, POSTed over HTTP
// to the API's /webhooks/stripe. (The product's own test payments never use HTTP: they hand the
// signed payload to the webhook's code in-process, api/stripe-test-events.ts.)
import type Stripe from 'stripe';

/** POSTs `event` to `webhookUrl`, signed as Stripe signs it; the answer's status and body. */
export async function deliverSignedEvent(stripe: Stripe, secret: string, webhookUrl: string, event: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body };
}
