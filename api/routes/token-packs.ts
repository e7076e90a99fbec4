// Token-pack purchases. POST answers 201 with the Checkout URL: the route starts the
// tokenPackPurchase workflow and waits on its checkoutUrl update (the workflow creates the
// session, with an idempotency key from the purchase id). The payment itself arrives later
// through POST /webhooks/stripe.
import { z } from 'zod';
import { startTokenPackPurchase } from '../../clients/token-packs';
import { maxOpenPurchases, openPurchase } from '../../domain/billing/open-purchase';
import { TokenPack, TokenPackPurchase, purchaseStatuses } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import { actorOf } from '../audit';
import { billingReturnUrl } from '../billing-return';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const packKeys = ['tokens_1k', 'tokens_5k', 'tokens_10k'] as const;

/** How long POST waits for the workflow to create the Checkout Session. */
const checkoutWaitMs = 15_000;

const purchaseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(purchaseStatuses),
    pack: z.string().meta({ description: 'The pack lookup key, e.g. tokens_5k.' }),
    tokens: z.number().int().positive(),
    amountCents: z.number().int().nonnegative(),
    currency: z.string(),
    createdAt: z.string(),
    creditedAt: z.string().nullable(),
    refundedAt: z.string().nullable(),
  })
  .meta({ id: 'TokenPackPurchase' });

const view = (p: TokenPackPurchase) => ({
  id: p.id,
  status: p.status,
  pack: p.pack.lookupKey,
  tokens: p.tokens,
  amountCents: p.amountCents,
  currency: p.currency,
  createdAt: p.createdAt.toISOString(),
  creditedAt: p.creditedAt?.toISOString() ?? null,
  refundedAt: p.refundedAt?.toISOString() ?? null,
});

const createBody = z.object({ pack: z.enum(packKeys) }).strict();
export const idParams = z.object({ id: z.uuid() });

export const tokenPackRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/billing/token-packs',
    summary: "Lists the brand's token-pack purchases, newest first",
    tag: 'billing',
    access: 'read',
    responses: {
      200: { description: 'Purchases', schema: z.object({ purchases: z.array(purchaseSchema) }) },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const purchases = await deps.orm.em.fork().find(TokenPackPurchase, { customer: customerIdOf(ctx) }, { populate: ['pack'], orderBy: { createdAt: 'desc', id: 'asc' } });
      ctx.body = { purchases: purchases.map(view) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/billing/token-packs/:id',
    summary: 'One token-pack purchase of the brand',
    tag: 'billing',
    access: 'read',
    params: idParams,
    responses: {
      200: { description: 'The purchase', schema: z.object({ purchase: purchaseSchema }) },
      404: { description: 'NOT_FOUND, including another brand’s purchase', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const purchase = await deps.orm.em.fork().findOneOrFail(TokenPackPurchase, { id: params.id, customer: customerIdOf(ctx) }, { populate: ['pack'] });
      ctx.body = { purchase: view(purchase) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/billing/token-packs',
    summary: 'Buys a token pack: answers with the Stripe Checkout URL to pay at (admin only)',
    tag: 'billing',
    access: 'administer',
    body: createBody,
    responses: {
      201: { description: 'Purchase pending payment, and where to pay', schema: z.object({ purchase: purchaseSchema, checkoutUrl: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      409: { description: `TOO_MANY_OPEN_PURCHASES: ${maxOpenPurchases} purchases are waiting for payment already`, schema: errorSchema },
      422: { description: 'VALIDATION_FAILED (an unknown pack)', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: the checkout was not created in time', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const pack = await em.findOneOrFail(TokenPack, { lookupKey: body.pack });
      const purchase = await openPurchase(em, { customerId, pack, paymentWindowMs: deps.config.tokenPacks.paymentWindowMs, actor: actorOf(ctx), requestId: ctx.state.requestId });
      const checkoutUrl = await startTokenPackPurchase(
        deps.temporal,
        deps.config.temporal.taskQueuePrefix,
        { purchaseId: purchase.id, customerId, tokens: purchase.tokens, paymentWindowMs: deps.config.tokenPacks.paymentWindowMs, returnUrl: billingReturnUrl(deps.config) },
        checkoutWaitMs,
      );
      if (!checkoutUrl) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The Stripe checkout could not be created just now. Try again in a moment.', { purchaseId: purchase.id });
      }
      ctx.status = 201;
      ctx.body = { purchase: view(purchase), checkoutUrl };
    },
  }),
];
