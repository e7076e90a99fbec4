// Stripe events to Temporal: each event type to the workflow it concerns. Every target is
// idempotent (the purchase workflow keeps the first payment, refunds are keyed per purchase,
// billing messages by the event id), so an event dispatched twice changes nothing twice.
import type Stripe from 'stripe';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { customerIdFromMetadata, invoiceSubscriptionId, stripeCustomerIdOf, subscriptionSnapshot } from '../domain/billing/subscription-snapshot';
import type { BillingRequest } from '../workflows/billing/messages';

import { addMonth, planOfLookupKey, type SubscriptionSnapshot } from '../domain/billing/vocabulary';
import { sendBillingMessage, type BillingStartConfig } from '../clients/billing';
import { signalPackPaid, startTokenPackRefund } from '../clients/token-packs';

export interface DispatchDeps {
  config: BillingStartConfig;
  orm: MikroORM;
  temporal: Client;
  logger: Logger;
}

/** The brand's billing workflow is closed (support terminated it): the event waits for a restart. */
export class BillingWorkflowClosedError extends Error {}

/**
 * The hand-over runs after the webhook has answered, so it waits for the workflow's verdict: an
 * event is marked processed only once applied. Past this, the relay asks again (same update id:
 * Temporal answers with the first result).
 */
const handOverDeadlineMs = 30_000;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PurchaseRef {
  id: string;
  customerId: string;
}

/** Our purchase for a Stripe object: by the ids we put on it, else by the Stripe ids we stored. */
async function findPurchase(deps: DispatchDeps, by: { purchaseId?: string | null; sessionId?: string | null; paymentIntentId?: string | null }): Promise<PurchaseRef | null> {
  const purchaseId = by.purchaseId && uuid.test(by.purchaseId) ? by.purchaseId : null;
  const conn = deps.orm.em.fork().getConnection();
  const [row] = await conn.execute<{ id: string; customer_id: string }[]>(
    `select id, customer_id from token_pack_purchases
      where id = ?::uuid or stripe_checkout_session_id = ? or stripe_payment_intent_id = ?
      order by (id = ?::uuid) desc limit 1`,
    [purchaseId, by.sessionId ?? null, by.paymentIntentId ?? null, purchaseId],
  );
  return row ? { id: row.id, customerId: row.customer_id } : null;
}

/** The brand a Stripe object belongs to: our id in its metadata, else its Stripe customer. */
async function billingCustomer(deps: DispatchDeps, obj: { metadata?: Stripe.Metadata | null; customer?: string | { id: string } | null }): Promise<string | null> {
  const fromMetadata = customerIdFromMetadata(obj);
  if (fromMetadata && uuid.test(fromMetadata)) return fromMetadata;
  const stripeCustomerId = stripeCustomerIdOf(obj);
  if (!stripeCustomerId) return null;
  const [row] = await deps.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from customers where stripe_customer_id = ?', [stripeCustomerId]);
  return row?.id ?? null;
}

/**
 * A completed subscription checkout as a subscription version. The billing workflow reads the
 * subscription itself from Stripe before applying it; this copy stands in when that object
 * cannot be read as one of our plans.
 */
function checkoutSnapshot(session: Stripe.Checkout.Session, event: Stripe.Event): SubscriptionSnapshot {
  const startAt = new Date(event.created * 1000).toISOString();
  const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  return {
    subscriptionId: idOf(session.subscription) ?? `checkout:${session.id}`,
    stripeStatus: paid ? 'active' : 'incomplete',
    plan: planOfLookupKey(session.metadata?.plan),
    periodStartAt: startAt,
    periodEndAt: addMonth(startAt, new Date(startAt).getUTCDate()),
    cancelAtPeriodEnd: false,
    observedAtMs: event.created * 1000,
  };
}

async function toBilling(deps: DispatchDeps, event: Stripe.Event, customerId: string | null, request: BillingRequest): Promise<void> {
  if (!customerId) {
    deps.logger.warn({ eventId: event.id, type: event.type }, 'billing event for no known brand; stored and ignored');
    return;
  }
  try {
    await deps.temporal.connection.withDeadline(Date.now() + handOverDeadlineMs, () => sendBillingMessage(deps.temporal, deps.config, customerId, { id: event.id, request }));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    throw new BillingWorkflowClosedError(`the billing workflow of brand ${customerId} is closed; the event is kept and applied once support restarts it`);
  }
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

export async function dispatchStripeEvent(deps: DispatchDeps, event: Stripe.Event): Promise<void> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.mode === 'subscription') {
        // The subscription's own events (and the workflow's read of it from Stripe) carry a delayed payment.
        if (event.type !== 'checkout.session.completed') return;
        return toBilling(deps, event, await billingCustomer(deps, session), { kind: 'subscription', snapshot: checkoutSnapshot(session, event) });
      }
      // Delayed payment methods complete the session unpaid; async_payment_succeeded reports the
      // payment later. The purchase workflow's creditTokenPack still asks Stripe whether it is paid.
      if (session.payment_status === 'unpaid') return;
      const purchase = await findPurchase(deps, { purchaseId: session.metadata?.purchaseId ?? session.client_reference_id, sessionId: session.id });
      if (!purchase) return;
      const running = await signalPackPaid(deps.temporal, purchase.id, { eventId: event.id, paymentIntentId: idOf(session.payment_intent) });
      if (!running) deps.logger.warn({ eventId: event.id, purchaseId: purchase.id }, 'payment reported for a purchase whose workflow has ended');
      return;
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      const purchase = await findPurchase(deps, { purchaseId: intent.metadata?.purchaseId, paymentIntentId: intent.id });
      if (!purchase) return;
      const running = await signalPackPaid(deps.temporal, purchase.id, { eventId: event.id, paymentIntentId: intent.id });
      if (!running) deps.logger.info({ eventId: event.id, purchaseId: purchase.id }, 'payment intent succeeded after the purchase workflow ended');
      return;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const purchase = await findPurchase(deps, { purchaseId: charge.metadata?.purchaseId, paymentIntentId: idOf(charge.payment_intent) });
      if (!purchase) return;
      // amount_refunded is cumulative, so the share taken back does not depend on arrival order.
      await startTokenPackRefund(deps.temporal, deps.config.temporal.taskQueuePrefix, {
        purchaseId: purchase.id,
        customerId: purchase.customerId,
        eventId: event.id,
        refundedCents: charge.amount_refunded ?? charge.amount,
        chargeCents: charge.amount,
      });
      return;
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      return toBilling(deps, event, await billingCustomer(deps, sub), { kind: 'subscription', snapshot: subscriptionSnapshot(sub, event.created * 1000) });
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      // One-off invoices (none today) do not move the subscription's status.
      if (!invoiceSubscriptionId(invoice)) return;
      const owner = { metadata: invoice.parent?.subscription_details?.metadata ?? invoice.metadata, customer: invoice.customer };
      return toBilling(deps, event, await billingCustomer(deps, owner), { kind: event.type === 'invoice.paid' ? 'invoice-paid' : 'invoice-payment-failed', invoiceId: invoice.id! });
    }
    default:
      // Stored and acknowledged; nothing acts on it.
      return;
  }
}
