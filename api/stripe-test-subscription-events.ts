// Test mode: the events Stripe sends when a subscription checkout is paid, or when a renewal
// payment fails or is paid, built for our own objects, so `npm run up` and the tests play the
// whole subscription flow through the production webhook path (see stripe-test-events.ts).
import { createHash, randomUUID } from 'node:crypto';
import type { PlanKey } from '../domain/billing/vocabulary';
import { stripeEvent } from './stripe-test-events';
import { addMonth } from '../domain/billing/vocabulary';

const compact = (id: string) => id.replace(/-/g, '');

export interface TestSubscription {
  customerId: string;
  stripeCustomerId: string | null;
  plan: PlanKey;
  /** The checkout the brand was offered, and when (stripe-mock gives every session the same id). */
  sessionId: string;
  offeredAt: string;
}

/** Our test subscription id for one checkout offer: stable, so a repeated completion names the same subscription. */
export const testSubscriptionId = (s: Pick<TestSubscription, 'customerId' | 'sessionId' | 'offeredAt'>) =>
  `sub_test_${createHash('sha256').update(`${s.customerId}|${s.sessionId}|${s.offeredAt}`).digest('hex').slice(0, 24)}`;

function subscriptionObject(s: TestSubscription, subscriptionId: string, startSeconds: number, status: string) {
  const startAt = new Date(startSeconds * 1000).toISOString();
  const end = Math.floor(Date.parse(addMonth(startAt, new Date(startAt).getUTCDate())) / 1000);
  return {
    id: subscriptionId,
    object: 'subscription',
    status,
    customer: s.stripeCustomerId,
    cancel_at_period_end: false,
    metadata: { customerId: s.customerId, plan: s.plan },
    items: {
      object: 'list',
      data: [{ id: `si_test_${compact(s.customerId).slice(0, 20)}`, object: 'subscription_item', current_period_start: startSeconds, current_period_end: end, price: { id: `price_test_${s.plan}`, object: 'price', lookup_key: s.plan } }],
    },
  };
}

function invoiceObject(s: Pick<TestSubscription, 'customerId' | 'stripeCustomerId'>, subscriptionId: string, invoiceId: string, status: 'paid' | 'open') {
  return {
    id: invoiceId,
    object: 'invoice',
    status,
    customer: s.stripeCustomerId,
    metadata: {},
    parent: { type: 'subscription_details', subscription_details: { subscription: subscriptionId, metadata: { customerId: s.customerId } } },
  };
}

/** checkout.session.completed, customer.subscription.created and invoice.paid, as Stripe sends them for a paid subscription checkout. */
export function subscriptionPaidEvents(s: TestSubscription, nowMs: number): Record<string, unknown>[] {
  const created = Math.floor(nowMs / 1000);
  const subscriptionId = testSubscriptionId(s);
  const session = {
    id: s.sessionId,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'complete',
    payment_status: 'paid',
    client_reference_id: s.customerId,
    customer: s.stripeCustomerId,
    subscription: subscriptionId,
    metadata: { customerId: s.customerId, plan: s.plan },
    livemode: false,
  };
  return [
    stripeEvent('checkout.session.completed', session, created),
    stripeEvent('customer.subscription.created', subscriptionObject(s, subscriptionId, created, 'active'), created),
    stripeEvent('invoice.paid', invoiceObject(s, subscriptionId, `in_test_${compact(randomUUID())}`, 'paid'), created),
  ];
}

/** invoice.payment_failed or invoice.paid for one renewal invoice of the subscription. */
export function invoiceEvent(type: 'invoice.payment_failed' | 'invoice.paid', s: Pick<TestSubscription, 'customerId' | 'stripeCustomerId'>, subscriptionId: string, invoiceId: string, nowMs: number): Record<string, unknown> {
  return stripeEvent(type, invoiceObject(s, subscriptionId, invoiceId, type === 'invoice.paid' ? 'paid' : 'open'), Math.floor(nowMs / 1000));
}
