// Activities about the customer record itself. Each is idempotent by construction.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import type Stripe from 'stripe';
import { AuditLog, Customer, User } from '../domain/entities';
import { ErrorCode } from '../domain/errors';

export interface CustomerActivityDeps {
  orm: MikroORM;
  stripe: Stripe;
}

export function createCustomerActivities({ orm, stripe }: CustomerActivityDeps) {
  return {
    /** Finds or creates the Stripe customer of a brand and stores its id; safe to repeat. */
    async ensureStripeCustomer(input: { customerId: string }): Promise<{ stripeCustomerId: string; created: boolean }> {
      const em = orm.em.fork();
      const customer = await em.findOne(Customer, { id: input.customerId });
      if (!customer) {
        throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `customer ${input.customerId} does not exist`, nonRetryable: true });
      }
      if (customer.stripeCustomerId) return { stripeCustomerId: customer.stripeCustomerId, created: false };
      const admin = await em.findOne(User, { customer, role: 'admin' }, { orderBy: { createdAt: 'asc' } });
      // The idempotency key is the business id: a retried activity gets the same Stripe customer.
      const created = await stripe.customers.create(
        { name: customer.name, email: admin?.email, metadata: { customerId: customer.id } },
        { idempotencyKey: `customer-create:${customer.id}` },
      );
      customer.stripeCustomerId = created.id;
      em.create(AuditLog, { customer, action: 'customer.stripe_linked', targetType: 'stripe_customer', targetId: created.id });
      await em.flush();
      return { stripeCustomerId: created.id, created: true };
    },
  };
}
