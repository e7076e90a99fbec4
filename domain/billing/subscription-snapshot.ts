// A Stripe subscription (or the invoice of one) in our terms. Both the webhook dispatcher and
// the billing activities read Stripe objects through here, so the mapping exists once.
import type Stripe from 'stripe';
import { planOfLookupKey, type SubscriptionSnapshot } from './vocabulary';

const iso = (seconds: number | null | undefined) => new Date((seconds ?? 0) * 1000).toISOString();
const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

/** Period fields moved from the subscription to its items in Stripe's 2025 API; both are read. */
export function subscriptionSnapshot(sub: Stripe.Subscription, observedAtMs: number): SubscriptionSnapshot {
  const item = sub.items?.data?.[0];
  const legacy = sub as unknown as { current_period_start?: number; current_period_end?: number };
  return {
    subscriptionId: sub.id,
    stripeStatus: sub.status,
    plan: planOfLookupKey(item?.price?.lookup_key),
    periodStartAt: iso(item?.current_period_start ?? legacy.current_period_start),
    periodEndAt: iso(item?.current_period_end ?? legacy.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    observedAtMs,
  };
}

/** Our customer id as we put it on the object's metadata, if it is there. */
export function customerIdFromMetadata(obj: { metadata?: Stripe.Metadata | null }): string | null {
  return obj.metadata?.customerId ?? null;
}

/** The subscription an invoice bills (null for one-off invoices), across API versions. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const legacy = invoice as unknown as { subscription?: string | { id: string } | null };
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy.subscription ?? null);
}

export function stripeCustomerIdOf(obj: { customer?: string | { id: string } | null }): string | null {
  return idOf(obj.customer ?? null);
}
