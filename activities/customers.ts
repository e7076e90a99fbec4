// Activities about the customer record itself. Each is idempotent by construction.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import type Stripe from 'stripe';
import { ensureStripeCustomer, type LinkedStripeCustomer } from '../domain/billing/stripe-customer';
import { Customer } from '../domain/entities';
import { ErrorCode } from '../domain/errors';

export interface CustomerActivityDeps {
  orm: MikroORM;
  stripe: Stripe;
}

export function createCustomerActivities({ orm, stripe }: CustomerActivityDeps) {
  return {
    /** Finds or creates the Stripe customer of a brand and stores its id; safe to repeat. */
    async ensureStripeCustomer(input: { customerId: string }): Promise<LinkedStripeCustomer> {
      const em = orm.em.fork();
      const customer = await em.findOne(Customer, { id: input.customerId });
      if (!customer) {
        throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `customer ${input.customerId} does not exist`, nonRetryable: true });
      }
      return ensureStripeCustomer(em, stripe, customer);
    },
  };
}
