// Test mode only ("like `stripe trigger`"): signed events handed to our own webhook code
// in-process, so a local stack or a test plays the whole subscription flow through the
// production path. Mounted only while config.stripe.testPayments (api/app.ts): with a live
// Stripe key or in production these routes do not exist.
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { Customer, CustomerBilling } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import { workflowIds } from '../../temporal.config';
import { cycleStateQuery } from '../../workflows/billing/messages';
import type { BillingCycleState } from '../../workflows/billing/state';
import type { Deps } from '../deps';
import { auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import { invoiceEvent, subscriptionPaidEvents } from '../stripe-test-subscription-events';
import { deliverSignedEvent } from '../stripe-test-events';

const deliveredSchema = z.object({ eventIds: z.array(z.string()) });

/** In order: the subscription's events must reach the workflow as Stripe would send them. */
async function deliverAll(deps: Deps, events: Record<string, unknown>[]): Promise<z.infer<typeof deliveredSchema>> {
  const eventIds: string[] = [];
  for (const event of events) eventIds.push((await deliverSignedEvent(deps, event)).eventId);
  return { eventIds };
}

async function billingState(deps: Deps, customerId: string): Promise<BillingCycleState | null> {
  try {
    return await deps.temporal.workflow.getHandle(workflowIds.billing(customerId)).query(cycleStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

export const subscriptionTestModeRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/billing/subscription/complete-test-payment',
    summary: 'Test mode only (a test Stripe key outside production; absent otherwise): pays the pending subscription checkout by sending our webhook the signed events Stripe would (admin only)',
    tag: 'billing',
    access: 'administer',
    responses: {
      200: { description: 'The events were accepted; the billing workflow starts the subscription', schema: deliveredSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'ROUTE_NOT_FOUND with a live Stripe key or in production', schema: errorSchema },
      409: { description: 'NO_PENDING_CHECKOUT: choose a plan first', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      const checkout = (await billingState(deps, customerId))?.pendingCheckout;
      if (!checkout) throw new AppError('NO_PENDING_CHECKOUT', 'There is no subscription checkout to pay: choose a plan first.');
      const customer = await deps.orm.em.fork().findOneOrFail(Customer, { id: customerId });
      const events = subscriptionPaidEvents({ customerId, stripeCustomerId: customer.stripeCustomerId ?? null, plan: checkout.plan, sessionId: checkout.sessionId, offeredAt: checkout.createdAt }, Date.now());
      const delivered = await deliverAll(deps, events);
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'billing.test_payment', target: { type: 'checkout_session', id: checkout.sessionId }, details: { plan: checkout.plan } });
      ctx.body = delivered;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/billing/subscription/test-invoice',
    summary: "Test mode only (a test Stripe key outside production; absent otherwise): reports this cycle's renewal invoice as failed or paid, through our webhook, to try dunning (admin only)",
    tag: 'billing',
    access: 'administer',
    body: z.object({ outcome: z.enum(['payment_failed', 'paid']) }).strict(),
    responses: {
      200: { description: 'The event was accepted', schema: deliveredSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'ROUTE_NOT_FOUND with a live Stripe key or in production', schema: errorSchema },
      409: { description: 'NO_SUBSCRIPTION: the brand has no subscription', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: outcome is payment_failed or paid', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const billing = await em.findOne(CustomerBilling, { customer: customerId }, { populate: ['customer'] });
      if (!billing?.stripeSubscriptionId || !billing.cycleStartAt) throw new AppError('NO_SUBSCRIPTION', 'The brand has no subscription.');
      // One invoice per cycle, so "paid" clears the failure it follows.
      const invoiceId = `in_test_${billing.stripeSubscriptionId.replace(/^sub_/, '').slice(0, 30)}_${Math.floor(billing.cycleStartAt.getTime() / 1000)}`;
      const type = body.outcome === 'paid' ? 'invoice.paid' : 'invoice.payment_failed';
      const delivered = await deliverAll(deps, [invoiceEvent(type, { customerId, stripeCustomerId: billing.customer.stripeCustomerId ?? null }, billing.stripeSubscriptionId, invoiceId, Date.now())]);
      await auditRoute(ctx, em, { action: 'billing.test_invoice', target: { type: 'invoice', id: invoiceId }, details: { outcome: body.outcome } });
      ctx.body = delivered;
    },
  }),
];
