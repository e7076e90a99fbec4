// A brand's Stripe invoices, read through from Stripe: we keep no copy of them.
import type { EntityManager } from '@mikro-orm/postgresql';
import Stripe from 'stripe';
import { Customer } from '../entities';
import { AppError } from '../errors';
import { assertSafeInteger } from '../units';
import { callStripe } from './stripe-errors';

export interface InvoiceSummary {
  id: string;
  number: string | null;
  status: string | null;
  amountDueCents: number;
  amountPaidCents: number;
  currency: string;
  createdAt: Date;
  /** The invoiced period; end exclusive. */
  periodStart: Date;
  periodEnd: Date;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

export interface InvoicePage {
  invoices: InvoiceSummary[];
  hasMore: boolean;
}

const fromUnix = (seconds: number) => new Date(seconds * 1000);

function summary(i: Stripe.Invoice): InvoiceSummary {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    amountDueCents: assertSafeInteger(i.amount_due, 'invoice amount due'),
    amountPaidCents: assertSafeInteger(i.amount_paid, 'invoice amount paid'),
    currency: i.currency,
    createdAt: fromUnix(i.created),
    periodStart: fromUnix(i.period_start),
    periodEnd: fromUnix(i.period_end),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    invoicePdf: i.invoice_pdf ?? null,
  };
}

/** Newest first, as Stripe lists them. A brand with no Stripe customer yet has none; reading creates nothing. */
export async function listInvoices(
  em: EntityManager,
  stripe: Stripe,
  customerId: string,
  page: { limit: number; startingAfter?: string },
): Promise<InvoicePage> {
  const customer = await em.findOneOrFail(Customer, { id: customerId });
  if (!customer.stripeCustomerId) return { invoices: [], hasMore: false };
  const list = await callStripe('listing invoices', () =>
    stripe.invoices.list({ customer: customer.stripeCustomerId, limit: page.limit, starting_after: page.startingAfter }),
  ).catch((err: unknown) => {
    // An id that is not one of this customer's invoices is the caller's mistake, not ours.
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'starting_after') {
      throw new AppError('VALIDATION_FAILED', 'The request query is invalid.', {
        fields: [{ path: 'query.startingAfter', message: 'Not an invoice of this brand.' }],
      });
    }
    throw err;
  });
  return { invoices: list.data.map(summary), hasMore: list.has_more };
}
