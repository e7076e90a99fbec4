// Refunding a subscription invoice from the console. stripe-mock's invoices always name a
// customer of its own, so Stripe's invoice read is answered here with the brand's own invoice;
// the refund itself goes to stripe-mock, and the once-per-invoice guard is PostgreSQL's.
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { refundForOperator } from '../../domain/billing/operator-refunds';
import { AppError } from '../../domain/errors';
import { startApi, type TestApi } from '../support/api-server';
import { signUp } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface InvoiceLike {
  customer: string;
  status: string;
  amountPaid: number;
}

/** The API's Stripe client, whose invoice read answers `invoice` for any id. */
function stripeWith(invoice: InvoiceLike): Stripe {
  const retrieve = async (id: string) => ({
    id,
    customer: invoice.customer,
    status: invoice.status,
    amount_paid: invoice.amountPaid,
    currency: 'usd',
    payments: { data: invoice.amountPaid > 0 ? [{ status: 'paid', payment: { type: 'payment_intent', payment_intent: `pi_${id.slice(3)}` } }] : [] },
  });
  return { ...api.deps.stripe, invoices: { retrieve } } as unknown as Stripe;
}

async function brandWithStripeCustomer() {
  const { user } = await signUp(api.url);
  const customerId = user.customerId as string;
  const stripeCustomerId = `cus_${randomUUID().replace(/-/g, '').slice(0, 14)}`;
  await api.deps.orm.em.getConnection().execute('update customers set stripe_customer_id = ? where id = ?', [stripeCustomerId, customerId]);
  return { customerId, actorId: user.id as string, stripeCustomerId };
}

const invoiceId = () => `in_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
const codeOf = (p: Promise<unknown>) => p.then(() => 'none', (err: unknown) => (err instanceof AppError ? err.code : String(err)));

describe('refundForOperator on an invoice', () => {
  it('refunds what the brand paid, once: a second request is ALREADY_REFUNDED', async () => {
    const b = await brandWithStripeCustomer();
    const stripe = stripeWith({ customer: b.stripeCustomerId, status: 'paid', amountPaid: 4_900 });
    const id = invoiceId();
    const made = await refundForOperator(api.deps.orm.em.fork(), stripe, { customerId: b.customerId, kind: 'invoice', id, reason: 'service outage', actorId: b.actorId });
    expect(made).toEqual({ refundId: expect.stringMatching(/^re_/), amountCents: 4_900, status: expect.any(String), pack: null });
    const [row] = await api.deps.orm.em.getConnection().execute<{ amount_cents: string; actor_id: string; reason: string }[]>(
      "select amount_cents, actor_id, reason from operator_refunds where kind = 'invoice' and target_id = ?",
      [id],
    );
    expect(row).toEqual({ amount_cents: '4900', actor_id: b.actorId, reason: 'service outage' });
    expect(await codeOf(refundForOperator(api.deps.orm.em.fork(), stripe, { customerId: b.customerId, kind: 'invoice', id, reason: 'again', actorId: b.actorId }))).toBe('ALREADY_REFUNDED');
  });

  it('does not find another customer’s invoice (NOT_FOUND)', async () => {
    const b = await brandWithStripeCustomer();
    const stripe = stripeWith({ customer: 'cus_someoneelse', status: 'paid', amountPaid: 4_900 });
    expect(await codeOf(refundForOperator(api.deps.orm.em.fork(), stripe, { customerId: b.customerId, kind: 'invoice', id: invoiceId(), reason: 'x', actorId: b.actorId }))).toBe('NOT_FOUND');
  });

  it('refuses an invoice that is not paid (NOT_REFUNDABLE)', async () => {
    const b = await brandWithStripeCustomer();
    const stripe = stripeWith({ customer: b.stripeCustomerId, status: 'open', amountPaid: 0 });
    expect(await codeOf(refundForOperator(api.deps.orm.em.fork(), stripe, { customerId: b.customerId, kind: 'invoice', id: invoiceId(), reason: 'x', actorId: b.actorId }))).toBe('NOT_REFUNDABLE');
  });
});
