// Stripe's hosted Billing Portal: where a brand updates payment methods and downloads invoices.
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { Customer } from '../entities';
import { ensureStripeCustomer } from './stripe-customer';
import { callStripe } from './stripe-errors';

/** A new single-use portal session; the Stripe customer is created first if onboarding has not yet. */
export async function createPortalSession(em: EntityManager, stripe: Stripe, customerId: string, returnUrl: string): Promise<{ url: string }> {
  const customer = await em.findOneOrFail(Customer, { id: customerId });
  const { stripeCustomerId } = await callStripe('linking the Stripe customer', () => ensureStripeCustomer(em, stripe, customer));
  const session = await callStripe('opening the billing portal', () => stripe.billingPortal.sessions.create({ customer: stripeCustomerId, return_url: returnUrl }));
  return { url: session.url };
}
