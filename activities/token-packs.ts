// Activities of a token-pack purchase. Each is idempotent by construction: Stripe calls carry
// idempotency keys from the purchase id, database writes are conditional or keyed.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import Stripe from 'stripe';
import { systemActor } from '../domain/audit/actor';
import { writeAuditOnce } from '../domain/audit/record';
import { eventReportsPaid, intentPaid, sessionPaid, type PaymentEvent } from '../domain/billing/pack-payment';
import type { StripeMode } from '../domain/billing/stripe-mode';
import { MissingStripePriceError, stripePriceId } from '../domain/billing/stripe-prices';
import { TokenPackPurchase } from '../domain/entities';
import { ErrorCode } from '../domain/errors';
import { clawBackPurchase, creditPurchase, type RefundedShare } from '../domain/metering/token-pack-ledger';
import { raiseNotice } from '../clients/notices';
import type { RedisClient } from '../domain/infra/redis';
import { formatCents } from '../domain/units';

export interface TokenPackActivityDeps {
  orm: MikroORM;
  stripe: Stripe;
  redis: RedisClient;
  /** Starts the receipt's delivery workflow. */
  temporal: Client;
  /** config.stripe.mode: what proves a payment (the session Stripe returns, or the signed event). */
  stripeMode: StripeMode;
}

const notFound = (purchaseId: string) =>
  ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `token pack purchase ${purchaseId} does not exist`, nonRetryable: true });

export function createTokenPackActivities({ orm, stripe, redis, temporal, stripeMode }: TokenPackActivityDeps) {
  async function loadPurchase(purchaseId: string) {
    const purchase = await orm.em.fork().findOne(TokenPackPurchase, { id: purchaseId }, { populate: ['pack', 'customer'] });
    if (!purchase) throw notFound(purchaseId);
    return purchase;
  }

  async function priceIdOf(pack: TokenPackPurchase['pack']): Promise<string> {
    try {
      return await stripePriceId(stripe, pack);
    } catch (err) {
      if (err instanceof MissingStripePriceError) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: err.message, nonRetryable: true });
      throw err;
    }
  }

  /**
   * Stripe says the purchase is paid. Live: the session as Stripe returns it now, whatever any
   * event claimed. Test: the signed event that reported it, as the webhook verified and stored
   * it (stripe-mock's sessions are canned and always `unpaid`, so they cannot decide).
   */
  async function paymentConfirmed(purchase: TokenPackPurchase, eventId: string | undefined, paymentIntentId: string | null | undefined): Promise<boolean> {
    const sessionId = purchase.stripeCheckoutSessionId ?? null;
    if (stripeMode === 'live') {
      if (sessionId !== null) return sessionPaid(await stripe.checkout.sessions.retrieve(sessionId), sessionId);
      // An auto top-up has no session: the PaymentIntent it charged, as Stripe returns it now.
      return !!paymentIntentId && intentPaid(await stripe.paymentIntents.retrieve(paymentIntentId), purchase.id);
    }
    if (!eventId) return false;
    const [row] = await orm.em.fork().getConnection().execute<{ payload: PaymentEvent }[]>('select payload from stripe_events where id = ?', [eventId]);
    return row !== undefined && eventReportsPaid(row.payload, sessionId);
  }

  return {
    /** Creates the Checkout Session (mode payment) once per purchase and stores its id. */
    async createPackCheckoutSession(input: { purchaseId: string; stripeCustomerId: string; returnUrl: string }): Promise<{ sessionId: string; url: string }> {
      const purchase = await loadPurchase(input.purchaseId);
      const metadata = { purchaseId: purchase.id, customerId: purchase.customer.id };
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer: input.stripeCustomerId,
          line_items: [{ price: await priceIdOf(purchase.pack), quantity: 1 }],
          client_reference_id: purchase.id,
          metadata,
          // So payment_intent.succeeded and charge.refunded can be traced back to the purchase.
          payment_intent_data: { metadata },
          success_url: `${input.returnUrl}?purchase=${purchase.id}&checkout=success`,
          cancel_url: `${input.returnUrl}?purchase=${purchase.id}&checkout=cancelled`,
        },
        { idempotencyKey: `token-pack-checkout:${purchase.id}` },
      );
      // The first stored id wins: a retry after a crash gets the same session from Stripe anyway.
      const em = orm.em.fork();
      await em.getConnection().execute(
        'update token_pack_purchases set stripe_checkout_session_id = coalesce(stripe_checkout_session_id, ?) where id = ?',
        [session.id, purchase.id],
      );
      const [row] = await em.getConnection().execute<{ stripe_checkout_session_id: string }[]>('select stripe_checkout_session_id from token_pack_purchases where id = ?', [purchase.id]);
      return { sessionId: row!.stripe_checkout_session_id, url: session.url ?? '' };
    },

    /**
     * Credits the pack once, and only when Stripe confirms the payment (`paymentConfirmed`): a
     * report Stripe does not back answers `unpaid` and changes nothing, and the purchase stays
     * pending for a later report (a delayed payment method succeeding). Crediting itself runs
     * under a row lock against our stored state, so the arrival order of events does not matter.
     * `eventId`: the Stripe event that reported the payment (test mode reads it back).
     */
    async creditTokenPack(input: { purchaseId: string; paymentIntentId?: string | null; eventId?: string }): Promise<{ outcome: 'credited' | 'refunded' | 'unpaid'; grantId?: string; tokens?: number }> {
      const purchase = await loadPurchase(input.purchaseId);
      if (!(await paymentConfirmed(purchase, input.eventId, input.paymentIntentId))) return { outcome: 'unpaid' };
      const result = await creditPurchase(orm, redis, { purchaseId: purchase.id, paymentIntentId: input.paymentIntentId, now: new Date() });
      if (result.outcome === 'missing') throw notFound(input.purchaseId);
      if (result.outcome === 'refunded') return { outcome: 'refunded' };
      return { outcome: 'credited', grantId: result.grantId, tokens: result.tokens };
    },

    /**
     * Expires an unpaid session and marks the purchase expired. `paid`: Stripe says the session
     * completed (its webhook is on the way); `closed`: the purchase is no longer pending.
     */
    async expireCheckoutSession(input: { purchaseId: string }): Promise<{ outcome: 'expired' | 'paid' | 'closed' }> {
      const purchase = await loadPurchase(input.purchaseId);
      if (purchase.status !== 'pending') return { outcome: 'closed' };
      if (purchase.stripeCheckoutSessionId) {
        try {
          await stripe.checkout.sessions.expire(purchase.stripeCheckoutSessionId);
        } catch (err) {
          // Stripe refuses to expire a session that is not open: already expired is fine,
          // complete means the payment won the race.
          if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
          const current = await stripe.checkout.sessions.retrieve(purchase.stripeCheckoutSessionId);
          if (current.id === purchase.stripeCheckoutSessionId && current.status === 'complete') return { outcome: 'paid' };
        }
      }
      const updated = await orm.em.fork().getConnection().execute<{ id: string }[]>(
        "update token_pack_purchases set status = 'expired' where id = ? and status = 'pending' returning id",
        [purchase.id],
      );
      return { outcome: updated.length > 0 ? 'expired' : 'closed' };
    },

    /** The checkout could not be created: the purchase will never be paid. */
    async markPackPurchaseFailed(input: { purchaseId: string }): Promise<void> {
      await orm.em.fork().getConnection().execute("update token_pack_purchases set status = 'failed' where id = ? and status = 'pending'", [input.purchaseId]);
    },

    /** One revenue row per purchase in the audit log, amount in integer cents. */
    async recordPackRevenue(input: { purchaseId: string }): Promise<{ recorded: boolean }> {
      const em = orm.em.fork();
      const p = await em.findOneOrFail(TokenPackPurchase, { id: input.purchaseId }, { populate: ['pack'] });
      const recorded = await writeAuditOnce(em, {
        actor: systemActor,
        customerId: p.customer.id,
        action: 'revenue.token_pack',
        target: { type: 'token_pack_purchase', id: p.id },
        details: { amount_cents: p.amountCents, currency: p.currency, tokens: p.tokens, pack: p.pack.lookupKey },
      });
      return { recorded };
    },

    /**
     * Records the receipt once (dedupe key receipt:<purchaseId>) and starts its delivery.
     */
    async sendPackReceipt(input: { purchaseId: string }): Promise<{ sent: boolean }> {
      const purchase = await loadPurchase(input.purchaseId);
      const amount = formatCents(purchase.amountCents, purchase.currency);
      const text = [
        `Thank you for your purchase, ${purchase.customer.name}.`,
        ``,
        `Token pack: ${purchase.pack.name}`,
        `Tokens added: ${purchase.tokens}`,
        `Amount paid: ${amount}`,
        `Purchase: ${purchase.id}`,
      ].join('\n');
      // Recorded here, delivered by its own workflow to whoever has billing notices on.
      const { recorded } = await raiseNotice(orm, temporal, Context.current().info.taskQueue, {
        customerId: purchase.customer.id,
        kind: 'token_pack.receipt',
        dedupeKey: `receipt:${purchase.id}`,
        subject: `Receipt: ${purchase.pack.name} for ${amount}`,
        text,
      });
      return { sent: recorded };
    },

    /** The refund path: takes back the refunded share of the pack (all its unused tokens when fully refunded). */
    async clawBackTokenPack(input: { purchaseId: string; share?: RefundedShare }): Promise<{ clawedBackTokens: number }> {
      const result = await clawBackPurchase(orm, redis, { purchaseId: input.purchaseId, now: new Date(), share: input.share });
      if (result.outcome === 'missing') throw notFound(input.purchaseId);
      return { clawedBackTokens: result.clawedBackTokens };
    },
  };
}
