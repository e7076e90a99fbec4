// A brand's Stripe customer, created once. Used by the onboarding activity and by the API
// when a brand needs Stripe before onboarding has finished.
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { systemActor } from '../audit/actor';
import { recordAudit } from '../audit/record';
import { Customer, User } from '../entities';

export interface LinkedStripeCustomer {
  stripeCustomerId: string;
  /** False when the brand already had one, including when a concurrent caller linked it first. */
  created: boolean;
}

/**
 * Finds or creates the Stripe customer of `customer` and stores its id; safe to repeat and to
 * race. The idempotency key is the business id, so a retry or a concurrent caller gets the same
 * Stripe customer; the conditional update keeps the first stored id if two ids still come back.
 */
export async function ensureStripeCustomer(em: EntityManager, stripe: Stripe, customer: Customer): Promise<LinkedStripeCustomer> {
  if (customer.stripeCustomerId) return { stripeCustomerId: customer.stripeCustomerId, created: false };
  const admin = await em.findOne(User, { customer, role: 'admin' }, { orderBy: { createdAt: 'asc' } });
  const created = await stripe.customers.create(
    { name: customer.name, email: admin?.email, metadata: { customerId: customer.id } },
    { idempotencyKey: `customer-create:${customer.id}` },
  );
  const linked = await em.nativeUpdate(Customer, { id: customer.id, stripeCustomerId: null }, { stripeCustomerId: created.id });
  if (linked === 0) {
    const stored = await em.refresh(customer);
    if (!stored?.stripeCustomerId) throw new Error(`customer ${customer.id} vanished while linking Stripe customer ${created.id}`);
    return { stripeCustomerId: stored.stripeCustomerId, created: false };
  }
  customer.stripeCustomerId = created.id;
  recordAudit(em, { actor: systemActor, customerId: customer.id, action: 'customer.stripe_linked', target: { type: 'stripe_customer', id: created.id } });
  await em.flush();
  return { stripeCustomerId: created.id, created: true };
}
