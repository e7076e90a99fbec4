// The card auto top-up may charge: the Stripe customer's default payment method for invoices
// (what its subscription checkout saved), else its first saved card. Null when the brand has no
// Stripe customer or Stripe holds no card for it: auto top-up then cannot be turned on.
import type Stripe from 'stripe';

export interface SavedPaymentMethod {
  id: string;
  /** "Visa ending 4242": what the consent and the portal name. */
  label: string;
}

function labelOf(pm: Stripe.PaymentMethod): string {
  if (pm.card) return `${pm.card.brand.charAt(0).toUpperCase()}${pm.card.brand.slice(1)} ending ${pm.card.last4}`;
  return `${pm.type} payment method`;
}

export async function savedPaymentMethod(stripe: Stripe, stripeCustomerId: string | null | undefined): Promise<SavedPaymentMethod | null> {
  if (!stripeCustomerId) return null;
  const customer = await stripe.customers.retrieve(stripeCustomerId, { expand: ['invoice_settings.default_payment_method'] });
  if (customer.deleted) return null;
  const preferred = customer.invoice_settings?.default_payment_method;
  if (preferred && typeof preferred !== 'string') return { id: preferred.id, label: labelOf(preferred) };
  const cards = await stripe.customers.listPaymentMethods(stripeCustomerId, { type: 'card', limit: 1 });
  const card = cards.data[0];
  return card ? { id: card.id, label: labelOf(card) } : null;
}
