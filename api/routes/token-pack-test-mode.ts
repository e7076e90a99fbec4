// Test mode only ("like `stripe trigger`"): pays a pack purchase by handing our webhook code a
// signed checkout.session.completed, in-process. Mounted only while config.stripe.testPayments
// (api/app.ts): with a live key or in production this route does not exist.
import { z } from 'zod';
import { TokenPackPurchase } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import { auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import { checkoutCompletedEvent, deliverSignedEvent } from '../stripe-test-events';
import { idParams } from './token-packs';

export const tokenPackTestModeRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/billing/token-packs/:id/complete-test-payment',
    summary: 'Test mode only (a test Stripe key outside production; absent otherwise): pays the purchase by handing our webhook a signed checkout.session.completed (admin only)',
    tag: 'billing',
    access: 'administer',
    params: idParams,
    responses: {
      200: { description: 'The event was accepted; the workflow credits the pack', schema: z.object({ eventId: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'NOT_FOUND, including another brand’s purchase; ROUTE_NOT_FOUND with a live Stripe key or in production', schema: errorSchema },
      409: { description: 'PURCHASE_NOT_PAYABLE: no checkout session yet', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const purchase = await deps.orm.em.fork().findOneOrFail(TokenPackPurchase, { id: params.id, customer: customerIdOf(ctx) }, { populate: ['pack', 'customer'] });
      if (!purchase.stripeCheckoutSessionId) throw new AppError('PURCHASE_NOT_PAYABLE', 'This purchase has no checkout session yet.');
      const { eventId } = await deliverSignedEvent(deps, checkoutCompletedEvent(purchase, Date.now()));
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'token_pack.test_payment', target: { type: 'token_pack_purchase', id: purchase.id }, details: { eventId } });
      ctx.body = { eventId };
    },
  }),
];
