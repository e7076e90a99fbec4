// When a token pack counts as paid. Only Stripe can say so: in live mode the Checkout session as
// Stripe returns it now; in test mode (stripe-mock answers canned sessions that are always
// `unpaid`) the signed event that reported the payment, as we verified and stored it.
// `no_payment_required` is not paid: every pack has a price, so a session that needed no payment
// was not a purchase of it.

/** The fields of a Checkout session that decide it. */
export interface SessionPayment {
  id?: string | null;
  payment_status?: string | null;
}

/** A stored, signature-verified Stripe event, as far as a payment report needs it. */
export interface PaymentEvent {
  type: string;
  data: { object: SessionPayment & { object?: string } };
}

/** Stripe's session `sessionId` is paid. */
export function sessionPaid(session: SessionPayment, sessionId: string): boolean {
  return session.id === sessionId && session.payment_status === 'paid';
}

/**
 * The signed event reports the pack paid: a completed (or async-succeeded) Checkout of this very
 * session whose payment_status is `paid`, or a payment intent that succeeded (Stripe sends that
 * type only on success; the dispatcher matched it to the purchase by our metadata).
 */
export function eventReportsPaid(event: PaymentEvent, sessionId: string | null): boolean {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return sessionId !== null && sessionPaid(event.data.object, sessionId);
    case 'payment_intent.succeeded':
      return true;
    default:
      return false;
  }
}

/** An off-session payment (auto top-up) as Stripe returns its PaymentIntent: succeeded, and made for this very purchase. */
export function intentPaid(intent: { status?: string | null; metadata?: Record<string, string> | null }, purchaseId: string): boolean {
  return intent.status === 'succeeded' && intent.metadata?.purchaseId === purchaseId;
}
