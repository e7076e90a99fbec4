import { z } from 'zod';
import { billingOverview } from '../../domain/billing/overview';
import { listInvoices, type InvoiceSummary } from '../../domain/billing/invoices';
import { createPortalSession } from '../../domain/billing/portal-session';
import { billingStatuses } from '../../domain/billing/vocabulary';
import { auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

const tokens = z.number().int().nonnegative();

const billingSchema = z
  .object({
    plan: z
      .object({
        lookupKey: z.string(),
        name: z.string(),
        allowanceTokens: tokens.nullable().meta({ description: 'Per cycle; null is unlimited.' }),
        priceCents: z.number().int().nonnegative(),
        currency: z.string(),
      })
      .nullable()
      .meta({ description: 'Null without a plan.' }),
    status: z.enum(billingStatuses).nullable().meta({ description: 'Null: the brand has never subscribed.' }),
    cycle: z.object({ startAt: z.string(), endAt: z.string() }).nullable().meta({ description: 'The current cycle; end exclusive. Null without one.' }),
    cancelAtPeriodEnd: z.boolean(),
    pendingPlan: z.object({ lookupKey: z.string(), name: z.string() }).nullable().meta({ description: 'A downgrade that takes effect at the cycle end.' }),
    pastDueSince: z.string().nullable().meta({ description: 'Set while past_due or suspended: when the payment failed.' }),
    alertThresholds: z.array(z.number().int()).meta({ description: "Usage alert thresholds, percent of the cycle's available tokens." }),
    allowanceTokens: tokens.nullable().meta({ description: "This cycle's plan allowance grant; 0 without one, null if unlimited." }),
    usedAllowanceTokens: tokens.meta({ description: 'Spent from this cycle’s allowance (granted − remaining).' }),
    packTokens: tokens.meta({ description: 'Remaining in token packs; packs do not expire at cycle end.' }),
    remainingTokens: tokens.nullable().meta({ description: 'Usable now, from the reconciled ledger; null if unlimited.' }),
    testMode: z.boolean().meta({ description: 'True only with a test Stripe key outside production: the test-payment actions exist (they answer 404 otherwise).' }),
    overagePolicy: z.literal('block').meta({ description: 'A debit past the balance is refused with 402 INSUFFICIENT_TOKENS; nothing is billed as overage.' }),
  })
  .meta({ id: 'Billing' });

const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable().meta({ description: 'Null until the invoice is finalized.' }),
    status: z.string().nullable().meta({ description: 'Stripe’s: draft, open, paid, uncollectible or void.' }),
    amountDueCents: z.number().int(),
    amountPaidCents: z.number().int(),
    currency: z.string(),
    createdAt: z.string(),
    periodStart: z.string(),
    periodEnd: z.string().meta({ description: 'End exclusive.' }),
    hostedInvoiceUrl: z.string().nullable(),
    invoicePdf: z.string().nullable(),
  })
  .meta({ id: 'Invoice' });

const invoiceQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  startingAfter: z
    .string()
    .regex(/^in_[A-Za-z0-9]{1,64}$/, 'Use the `id` of the last invoice of the previous page.')
    .optional()
    .meta({ description: 'The `id` of the last invoice of the previous page.' }),
});

const invoiceView = (i: InvoiceSummary) => ({
  ...i,
  createdAt: i.createdAt.toISOString(),
  periodStart: i.periodStart.toISOString(),
  periodEnd: i.periodEnd.toISOString(),
});

export const billingRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/billing',
    summary:
      "The brand's plan, cycle and token figures from the ledger. Overage policy `block`: a debit past the balance is refused (402 INSUFFICIENT_TOKENS), never billed",
    tag: 'billing',
    access: 'read',
    responses: {
      200: { description: 'Billing overview', schema: billingSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const o = await billingOverview(deps.orm.em.fork(), customerIdOf(ctx), new Date(), deps.config.billing.alertThresholds);
      ctx.body = { ...o, testMode: deps.config.stripe.testPayments, pastDueSince: o.pastDueSince?.toISOString() ?? null, cycle: o.cycle && { startAt: o.cycle.startAt.toISOString(), endAt: o.cycle.endAt.toISOString() } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/billing/invoices',
    summary: "Lists the brand's Stripe invoices, newest first",
    tag: 'billing',
    access: 'read',
    query: invoiceQuery,
    responses: {
      200: {
        description: 'One page of invoices; none before the brand has a Stripe customer',
        schema: z.object({ invoices: z.array(invoiceSchema), hasMore: z.boolean().meta({ description: 'Ask again with `startingAfter` for the next page.' }) }),
      },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: a limit outside 1–100, or a startingAfter that is not one of the brand’s invoices', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: Stripe cannot be reached', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const page = await listInvoices(deps.orm.em.fork(), deps.stripe, customerIdOf(ctx), query);
      ctx.body = { invoices: page.invoices.map(invoiceView), hasMore: page.hasMore };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/billing/portal-session',
    summary: 'Opens a Stripe Billing Portal session for payment methods and invoices (admin only)',
    tag: 'billing',
    access: 'administer',
    responses: {
      200: { description: 'Redirect the browser to `url`; it returns to the billing page', schema: z.object({ url: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: Stripe cannot be reached', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const em = deps.orm.em.fork();
      ctx.body = await createPortalSession(em, deps.stripe, customerIdOf(ctx), `${deps.config.api.publicUrl.replace(/\/+$/, '')}/#/billing`);
      await auditRoute(ctx, em, { action: 'billing.portal_opened' });
    },
  }),
];
