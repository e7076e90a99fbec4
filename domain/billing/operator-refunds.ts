// Refunds an operator asks Stripe for from the console: a token pack (what is not refunded yet
// of its payment) or a paid subscription invoice. One per pack or invoice (operator_refunds is
// unique by kind and target), with a Stripe idempotency key from the same ids, so two requests
// racing refund once and the second is refused. Taking back a pack's unused tokens is not done
// here: the caller hands the refund to the existing refund handling (tokenPackRefund), exactly
// as Stripe's charge.refunded event does, and whichever comes second finds its run.
import type { EntityManager } from '@mikro-orm/postgresql';
import Stripe from 'stripe';
import { Customer } from '../entities';
import type { RefundKind } from '../entities';
import { AppError } from '../errors';
import { fromBigintColumn } from '../units';
import { callStripe } from './stripe-errors';

export interface RefundRequest {
  customerId: string;
  kind: RefundKind;
  id: string;
  reason: string;
  actorId: string;
}

export interface RefundMade {
  refundId: string;
  amountCents: number;
  status: string;
  /** For a pack: what the refund handling needs to take back the unused share. */
  pack: { purchaseId: string; refundedCents: number; chargeCents: number } | null;
}

const notFound = (what: string) => new AppError('NOT_FOUND', `No ${what} of this brand has this id.`, { field: 'body.id', fields: [{ path: 'body.id', message: `not a ${what} of this brand` }] });
const alreadyRefunded = (what: string) => new AppError('ALREADY_REFUNDED', `This ${what} has been refunded already.`, { field: 'body.id' });

interface Target {
  paymentIntentId: string;
  amountCents: number;
  currency: string;
  pack: RefundMade['pack'];
}

async function packTarget(em: EntityManager, r: RefundRequest): Promise<Target> {
  const [row] = await em.execute<{ status: string; amount_cents: string; refunded_cents: string; currency: string; stripe_payment_intent_id: string | null }[]>(
    'select status, amount_cents, refunded_cents, currency, stripe_payment_intent_id from token_pack_purchases where id::text = ? and customer_id = ?',
    [r.id, r.customerId],
  );
  if (!row) throw notFound('token pack purchase');
  const chargeCents = fromBigintColumn(row.amount_cents, 'amount');
  const refundedCents = fromBigintColumn(row.refunded_cents, 'refunded cents');
  if (row.status === 'refunded' || refundedCents >= chargeCents) throw alreadyRefunded('token pack');
  if ((row.status !== 'credited' && row.status !== 'paid') || !row.stripe_payment_intent_id) {
    throw new AppError('NOT_REFUNDABLE', `This token pack is ${row.status}: only a paid pack can be refunded.`, { field: 'body.id' });
  }
  return { paymentIntentId: row.stripe_payment_intent_id, amountCents: chargeCents - refundedCents, currency: row.currency, pack: { purchaseId: r.id, refundedCents: chargeCents, chargeCents } };
}

async function invoiceTarget(em: EntityManager, stripe: Stripe, r: RefundRequest): Promise<Target> {
  const customer = await em.findOne(Customer, { id: r.customerId }, { fields: ['stripeCustomerId'] });
  if (!customer?.stripeCustomerId || !/^in_[A-Za-z0-9]{1,64}$/.test(r.id)) throw notFound('invoice');
  const invoice = await callStripe('reading the invoice', () => stripe.invoices.retrieve(r.id, { expand: ['payments'] })).catch((err: unknown) => {
    if (err instanceof Stripe.errors.StripeInvalidRequestError) throw notFound('invoice');
    throw err;
  });
  const owner = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
  if (invoice.id !== r.id || owner !== customer.stripeCustomerId) throw notFound('invoice');
  const paid = invoice.payments?.data.find((p) => p.status === 'paid' && p.payment.type === 'payment_intent');
  const intent = paid?.payment.payment_intent;
  const paymentIntentId = typeof intent === 'string' ? intent : intent?.id;
  if (invoice.status !== 'paid' || invoice.amount_paid <= 0 || !paymentIntentId) throw new AppError('NOT_REFUNDABLE', `This invoice is ${invoice.status ?? 'unknown'}: only a paid invoice can be refunded.`, { field: 'body.id' });
  return { paymentIntentId, amountCents: invoice.amount_paid, currency: invoice.currency, pack: null };
}

export async function refundForOperator(em: EntityManager, stripe: Stripe, r: RefundRequest): Promise<RefundMade> {
  const [earlier] = await em.execute<{ id: string }[]>('select id from operator_refunds where kind = ? and target_id = ?', [r.kind, r.id]);
  if (earlier) throw alreadyRefunded(r.kind === 'pack' ? 'token pack' : 'invoice');
  const target = r.kind === 'pack' ? await packTarget(em, r) : await invoiceTarget(em, stripe, r);
  const refund = await callStripe('refunding', () =>
    stripe.refunds.create(
      { payment_intent: target.paymentIntentId, amount: target.amountCents, reason: 'requested_by_customer', metadata: { customerId: r.customerId, kind: r.kind, id: r.id } },
      { idempotencyKey: `operator-refund:${r.kind}:${r.id}` },
    ),
  ).catch((err: unknown) => {
    if (err instanceof Stripe.errors.StripeInvalidRequestError) throw new AppError('NOT_REFUNDABLE', `Stripe refused the refund: ${err.message}`, { field: 'body.id' });
    throw err;
  });
  const inserted = await em.execute<{ id: string }[]>(
    `insert into operator_refunds (customer_id, kind, target_id, stripe_refund_id, amount_cents, currency, status, reason, actor_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
    [r.customerId, r.kind, r.id, refund.id, target.amountCents, target.currency, refund.status ?? 'pending', r.reason, r.actorId],
  );
  // Another request for the same target got here first (same Stripe refund, by its idempotency key).
  if (!inserted.length) throw alreadyRefunded(r.kind === 'pack' ? 'token pack' : 'invoice');
  return { refundId: refund.id, amountCents: target.amountCents, status: refund.status ?? 'pending', pack: target.pack };
}
