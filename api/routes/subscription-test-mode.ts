// Test mode only ("like `stripe trigger`"): signed events posted to our own webhook endpoint,
// so a local stack or a test plays the whole subscription flow through the production path.
// Refused with a live Stripe key.
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
import type { AppContext } from '../state';
import { invoiceEvent, subscriptionPaidEvents } from '../stripe-test-subscription-events';
import { deliverSignedEvent, isLiveKey } from '../stripe-test-events';

const deliveredSchema = z.object({ eventIds: z.array(z.string()), webhookStatuses: z.array(z.number().int()) });

async function deliverAll(ctx: AppContext, deps: Deps, events: Record<string, unknown>[]): Promise<z.infer<typeof deliveredSchema>> {
  const statuses: number[] = [];
  for (const event of events) {
    // Our own endpoint, at the origin the admin reached us on (PUBLIC_URL may be a proxy we cannot reach from inside).
    const delivered = await deliverSignedEvent(deps.stripe, deps.config.stripe.webhookSecret, `${ctx.protocol}://${ctx.host}/webhooks/stripe`, event);
    if (delivered.status >= 300) throw new AppError('SERVICE_UNAVAILABLE', 'Our webhook endpoint refused the test event.', { webhookStatus: delivered.status, type: event.type });
    statuses.push(delivered.status);
  }
  return { eventIds: events.map((e) => e.id as string), webhookStatuses: statuses };
}

function assertTestMode(deps: Deps): void {
  if (isLiveKey(deps.config.stripe.secretKey)) throw new AppError('TEST_MODE_ONLY', 'Test payments are disabled with a live Stripe key.');
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
    summary: 'Test mode only: pays the pending subscription checkout by sending our webhook the signed events Stripe would (admin only)',
    tag: 'billing',
    access: 'administer',
    responses: {
      200: { description: 'The events were delivered; the billing workflow starts the subscription', schema: deliveredSchema },
      403: { description: 'TEST_MODE_ONLY with a live Stripe key; FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'NO_PENDING_CHECKOUT: choose a plan first', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      assertTestMode(deps);
      const customerId = customerIdOf(ctx);
      const checkout = (await billingState(deps, customerId))?.pendingCheckout;
      if (!checkout) throw new AppError('NO_PENDING_CHECKOUT', 'There is no subscription checkout to pay: choose a plan first.');
      const customer = await deps.orm.em.fork().findOneOrFail(Customer, { id: customerId });
      const events = subscriptionPaidEvents({ customerId, stripeCustomerId: customer.stripeCustomerId ?? null, plan: checkout.plan, sessionId: checkout.sessionId, offeredAt: checkout.createdAt }, Date.now());
      const delivered = await deliverAll(ctx, deps, events);
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'billing.test_payment', target: { type: 'checkout_session', id: checkout.sessionId }, details: { plan: checkout.plan } });
      ctx.body = delivered;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/billing/subscription/test-invoice',
    summary: "Test mode only: reports this cycle's renewal invoice as failed or paid, through our webhook, to try dunning (admin only)",
    tag: 'billing',
    access: 'administer',
    body: z.object({ outcome: z.enum(['payment_failed', 'paid']) }).strict(),
    responses: {
      200: { description: 'The event was delivered', schema: deliveredSchema },
      403: { description: 'TEST_MODE_ONLY with a live Stripe key; FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'NO_SUBSCRIPTION: the brand has no subscription', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: outcome is payment_failed or paid', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      assertTestMode(deps);
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const billing = await em.findOne(CustomerBilling, { customer: customerId }, { populate: ['customer'] });
      if (!billing?.stripeSubscriptionId || !billing.cycleStartAt) throw new AppError('NO_SUBSCRIPTION', 'The brand has no subscription.');
      // One invoice per cycle, so "paid" clears the failure it follows.
      const invoiceId = `in_test_${billing.stripeSubscriptionId.replace(/^sub_/, '').slice(0, 30)}_${Math.floor(billing.cycleStartAt.getTime() / 1000)}`;
      const type = body.outcome === 'paid' ? 'invoice.paid' : 'invoice.payment_failed';
      const delivered = await deliverAll(ctx, deps, [invoiceEvent(type, { customerId, stripeCustomerId: billing.customer.stripeCustomerId ?? null }, billing.stripeSubscriptionId, invoiceId, Date.now())]);
      await auditRoute(ctx, em, { action: 'billing.test_invoice', target: { type: 'invoice', id: invoiceId }, details: { outcome: body.outcome } });
      ctx.body = delivered;
    },
  }),
];
