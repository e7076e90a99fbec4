// Stripe webhook events: verified against the raw body, stored once by event id, then handed
// to Temporal. A redelivery of a stored and dispatched event is a no-op; one stored but not yet
// dispatched (we crashed in between) is dispatched again, which is safe because every target
// is idempotent (the purchase workflow keeps the first payment, refunds are keyed per purchase).
import type Stripe from 'stripe';
import { signalPackPaid, startTokenPackRefund } from '../activities/token-pack-client';
import { AppError } from '../domain/errors';
import type { Deps } from './deps';

export type DispatchDeps = Pick<Deps, 'config' | 'orm' | 'temporal' | 'stripe' | 'logger'>;

/** The event, if `signature` signs `rawBody` with our secret within Stripe's tolerance (5 minutes). */
export function verifyStripeEvent(deps: Pick<Deps, 'config' | 'stripe'>, rawBody: Buffer, signature: string | undefined): Stripe.Event {
  try {
    return deps.stripe.webhooks.constructEvent(rawBody, signature ?? '', deps.config.stripe.webhookSecret);
  } catch {
    throw new AppError('INVALID_SIGNATURE', 'The Stripe-Signature header is missing, does not sign this body, or is too old.');
  }
}

export async function receiveStripeEvent(deps: DispatchDeps, event: Stripe.Event): Promise<{ duplicate: boolean }> {
  const conn = deps.orm.em.fork().getConnection();
  const objectId = (event.data.object as { id?: string }).id ?? null;
  const inserted = await conn.execute<{ id: string }[]>(
    `insert into stripe_events (id, type, object_id, livemode, payload) values (?, ?, ?, ?, ?::jsonb)
     on conflict (id) do nothing returning id`,
    [event.id, event.type, objectId, event.livemode === true, JSON.stringify(event)],
  );
  if (inserted.length === 0) {
    const [stored] = await conn.execute<{ processed_at: Date | null }[]>('select processed_at from stripe_events where id = ?', [event.id]);
    if (stored?.processed_at) return { duplicate: true };
  }
  await dispatch(deps, event);
  await conn.execute('update stripe_events set processed_at = now() where id = ? and processed_at is null', [event.id]);
  return { duplicate: false };
}

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

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

async function dispatch(deps: DispatchDeps, event: Stripe.Event): Promise<void> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      // Delayed payment methods complete the session unpaid; their payment is a later event.
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
      await startTokenPackRefund(deps.temporal, { purchaseId: purchase.id, customerId: purchase.customerId, eventId: event.id });
      return;
    }
    default:
      // Stored and acknowledged; nothing in this slice acts on it.
      return;
  }
}
