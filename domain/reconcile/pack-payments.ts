// The payment side of the audit: token packs we have not credited that Stripe says are paid.
// "Paid" is decided as the purchase workflow decides it before crediting (activities/
// token-packs.ts): live, the Checkout Session as Stripe returns it now; test mode (stripe-mock's
// sessions are canned and always unpaid), a signed event we verified and stored that reports it.
import type { MikroORM } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { eventReportsPaid, sessionPaid, type PaymentEvent } from '../billing/pack-payment';
import type { StripeMode } from '../billing/stripe-mode';
import { fromBigintColumn } from '../units';

export interface UncreditedPurchase {
  purchaseId: string;
  tokens: number;
  sessionId: string;
  paymentIntentId: string | null;
}

export interface StripePayment {
  /** The stored event that reported the payment, if any: test mode credits on it. */
  eventId: string | null;
  paymentIntentId: string | null;
}

/** Purchases still pending (or paid and not credited) for at least `graceMs`, with a Checkout Session. */
export async function uncreditedPurchases(orm: MikroORM, customerId: string, graceMs: number): Promise<UncreditedPurchase[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string; tokens: string; stripe_checkout_session_id: string; stripe_payment_intent_id: string | null }[]>(
      `select id, tokens, stripe_checkout_session_id, stripe_payment_intent_id from token_pack_purchases
        where customer_id = ? and status in ('pending', 'paid') and stripe_checkout_session_id is not null
          and created_at < now() - ? * interval '1 millisecond'
        order by created_at limit 100`,
      [customerId, graceMs],
    );
  return rows.map((r) => ({ purchaseId: r.id, tokens: fromBigintColumn(r.tokens, 'pack tokens'), sessionId: r.stripe_checkout_session_id, paymentIntentId: r.stripe_payment_intent_id }));
}

/** The stored, signature-verified event reporting this purchase paid, newest first. */
async function storedPaymentEvent(orm: MikroORM, p: UncreditedPurchase): Promise<{ id: string; payload: PaymentEvent } | null> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string; payload: PaymentEvent }[]>(
      `select id, payload from stripe_events
        where object_id = ? or (type = 'payment_intent.succeeded' and payload #>> '{data,object,metadata,purchaseId}' = ?)
        order by received_at desc limit 20`,
      [p.sessionId, p.purchaseId],
    );
  return rows.find((r) => eventReportsPaid(r.payload, p.sessionId)) ?? null;
}

const idOf = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' && 'id' in v ? String(v.id) : null);

/** The payment intent an event names: its object, or the completed session's. */
const intentOfEvent = (event: PaymentEvent): string | null =>
  event.type === 'payment_intent.succeeded' ? idOf(event.data.object) : idOf((event.data.object as { payment_intent?: unknown }).payment_intent);

/** Null: Stripe does not say it is paid. */
export async function paidInStripe(deps: { orm: MikroORM; stripe: Stripe; stripeMode: StripeMode }, p: UncreditedPurchase): Promise<StripePayment | null> {
  const event = await storedPaymentEvent(deps.orm, p);
  if (deps.stripeMode === 'live') {
    const session = await deps.stripe.checkout.sessions.retrieve(p.sessionId);
    if (!sessionPaid(session, p.sessionId)) return null;
    return { eventId: event?.id ?? null, paymentIntentId: idOf(session.payment_intent) ?? p.paymentIntentId };
  }
  if (!event) return null;
  return { eventId: event.id, paymentIntentId: intentOfEvent(event.payload) ?? p.paymentIntentId };
}
