// Activities of the billing workflow. Stripe calls carry idempotency keys from the message id;
// ledger steps are keyed by the cycle (grant cycle:<start>, expiry:<grant>, one billing_cycles
// row per start); notices by their dedupe key. A retry of any of them changes nothing twice.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import Stripe from 'stripe';
import type { BillingReadModel } from '../domain/billing/read-model';
import { sendBillingMessage, type BillingStartConfig } from '../clients/billing';
import { openCycle, raiseAllowance, rollOverCycle, saveBillingState, type ClosedCycle, type CycleWindow, type OpenedCycle } from '../domain/billing/cycles';
import { billingNoticeText, cycleSummaryText, usageAlertText, type BillingNotice } from '../domain/billing/notices';
import { MissingStripePriceError, stripePriceId } from '../domain/billing/stripe-prices';
import { subscriptionSnapshot } from '../domain/billing/subscription-snapshot';
import { ensureStripeCustomer } from '../domain/billing/stripe-customer';
import { BillingPlan, Customer } from '../domain/entities';
import { ErrorCode } from '../domain/errors';
import { raiseNotice } from '../clients/notices';
import type { Notice } from '../domain/notify/notice';
import type { RedisClient } from '../domain/infra/redis';
import type { StripeMode } from '../domain/billing/stripe-mode';
import { stripeUnconfirmed, type PlanKey, type SubscriptionSnapshot, type UsageAlert } from '../domain/billing/vocabulary';

export interface BillingActivityDeps {
  orm: MikroORM;
  stripe: Stripe;
  redis: RedisClient;
  /** Reaches the billing workflow from other workflows' activities (update-with-start). */
  temporal: Client;
  /** How a billing workflow is started when a message is its first. */
  billingStart: BillingStartConfig;
  /** config.stripe.mode: live mode believes only Stripe's own objects, never an event's copy. */
  stripeMode: StripeMode;
}

/** Stripe said no to a well-formed call (no such subscription, a card that cannot be charged): retrying cannot help. */
function refused(err: unknown): never {
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeCardError) {
    throw ApplicationFailure.create({ type: 'STRIPE_REQUEST_REFUSED', message: err.message, nonRetryable: true });
  }
  if (err instanceof MissingStripePriceError) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: err.message, nonRetryable: true });
  throw err;
}

interface Change {
  customerId: string;
  billing: BillingReadModel;
}

export function createBillingActivities({ orm, stripe, redis, temporal, billingStart, stripeMode }: BillingActivityDeps) {
  /**
   * Records the notice and starts its delivery on this worker's queue, without waiting for it:
   * the outbox step ends here, so mail or SMS trouble never holds up the billing workflow.
   * `mailed` keeps its name for histories already written; it now means "recorded".
   */
  async function notice(n: Notice): Promise<{ mailed: boolean }> {
    const { recorded } = await raiseNotice(orm, temporal, Context.current().info.taskQueue, n);
    return { mailed: recorded };
  }

  async function planPrice(plan: PlanKey): Promise<string> {
    const row = await orm.em.fork().findOne(BillingPlan, { lookupKey: plan });
    if (!row) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `no billing plan ${plan}; run the seed`, nonRetryable: true });
    return stripePriceId(stripe, row).catch(refused);
  }

  return {
    /** A Checkout Session (mode subscription) for the plan, once per request id. */
    async createSubscriptionCheckout(input: { customerId: string; plan: PlanKey; returnUrl: string; requestId: string }): Promise<{ sessionId: string; url: string }> {
      const em = orm.em.fork();
      const customer = await em.findOne(Customer, { id: input.customerId });
      if (!customer) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `customer ${input.customerId} does not exist`, nonRetryable: true });
      const { stripeCustomerId } = await ensureStripeCustomer(em, stripe, customer);
      const metadata = { customerId: input.customerId, plan: input.plan };
      const session = await stripe.checkout.sessions
        .create(
          {
            mode: 'subscription',
            customer: stripeCustomerId,
            line_items: [{ price: await planPrice(input.plan), quantity: 1 }],
            client_reference_id: input.customerId,
            metadata,
            // So every later subscription event names the brand.
            subscription_data: { metadata },
            success_url: `${input.returnUrl}?checkout=success&plan=${input.plan}`,
            cancel_url: `${input.returnUrl}?checkout=cancelled`,
          },
          { idempotencyKey: `billing-checkout:${input.customerId}:${input.requestId}` },
        )
        .catch(refused);
      return { sessionId: session.id, url: session.url ?? '' };
    },

    /** Changes the subscription's price (with the given proration) or its cancel-at-period-end flag. */
    async updateSubscription(input: {
      customerId: string;
      subscriptionId: string;
      plan?: PlanKey;
      proration?: 'always_invoice' | 'none';
      cancelAtPeriodEnd?: boolean;
      requestId: string;
    }): Promise<{ subscriptionId: string }> {
      const idempotencyKey = `billing-subscription:${input.customerId}:${input.requestId}`;
      if (input.plan) {
        const current = await stripe.subscriptions.retrieve(input.subscriptionId).catch(refused);
        const item = current.items.data[0];
        if (!item) throw ApplicationFailure.create({ type: 'STRIPE_REQUEST_REFUSED', message: `subscription ${input.subscriptionId} has no item to change`, nonRetryable: true });
        await stripe.subscriptions
          .update(input.subscriptionId, { items: [{ id: item.id, price: await planPrice(input.plan) }], proration_behavior: input.proration ?? 'none' }, { idempotencyKey })
          .catch(refused);
      } else {
        await stripe.subscriptions.update(input.subscriptionId, { cancel_at_period_end: input.cancelAtPeriodEnd === true }, { idempotencyKey }).catch(refused);
      }
      return { subscriptionId: input.subscriptionId };
    },

    /**
     * The subscription as Stripe holds it now, so arrival order does not matter. The fetched
     * object wins when it is the same subscription and its price is one of our plans. Otherwise:
     * in test mode (stripe-mock answers canned objects) the signed event's copy stands; in live
     * mode nothing does (a STRIPE_UNCONFIRMED failure, which the workflow answers `ignored`), so
     * an event naming a subscription Stripe does not have can never give a plan.
     */
    async currentSubscription(input: { snapshot: SubscriptionSnapshot }): Promise<SubscriptionSnapshot> {
      const { subscriptionId } = input.snapshot;
      const unconfirmed = (why: string) => ApplicationFailure.create({ type: stripeUnconfirmed, message: `Stripe does not confirm subscription ${subscriptionId}: ${why}`, nonRetryable: true });
      let found: Stripe.Subscription;
      try {
        found = await stripe.subscriptions.retrieve(subscriptionId);
      } catch (err) {
        // No such subscription, or a key not allowed to read it: retrying cannot change the answer.
        if (stripeMode === 'live' && (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripePermissionError)) throw unconfirmed(err.message);
        throw err;
      }
      const fetched = subscriptionSnapshot(found, Date.now());
      const readable = fetched.subscriptionId === subscriptionId && fetched.plan !== null && fetched.periodEndAt > fetched.periodStartAt;
      if (readable) return { ...fetched, observedAtMs: Math.max(fetched.observedAtMs, input.snapshot.observedAtMs) };
      if (stripeMode === 'live') throw unconfirmed('its price is none of our plans, or its period is unreadable');
      return input.snapshot;
    },

    /** Stripe's current status of an invoice; null when it cannot be read as that invoice. */
    async currentInvoiceStatus(input: { invoiceId: string }): Promise<{ status: string | null }> {
      const invoice = await stripe.invoices.retrieve(input.invoiceId);
      return { status: invoice.id === input.invoiceId ? (invoice.status ?? null) : null };
    },

    /**
     * Tells the brand's billing workflow a pack was credited, by update-with-start (id
     * pack-credited:<purchaseId>), so the first purchase of a brand starts its billing workflow
     * and a retry is answered with the first verdict.
     */
    async reportPackCredited(input: { customerId: string; purchaseId: string; tokens: number }): Promise<{ outcome: string }> {
      try {
        // The update waits for a billing worker to take it: with none (a deploy stopping them,
        // a test file ending) it would wait forever and hold this worker's shutdown with it.
        // Cancelled (the worker is stopping), the attempt fails and the server retries it.
        const { verdict } = await temporal.withAbortSignal(Context.current().cancellationSignal, () =>
          sendBillingMessage(temporal, billingStart, input.customerId, {
            id: `pack-credited:${input.purchaseId}`,
            request: { kind: 'pack-credited', purchaseId: input.purchaseId, tokens: input.tokens },
          }),
        );
        return { outcome: verdict.outcome };
      } catch (err) {
        // Closed by support: the ledger holds the pack already; the purchase goes on to its receipt.
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'billing-workflow-closed' };
        throw err;
      }
    },

    async openCycle(input: Change & { cycle: CycleWindow }): Promise<OpenedCycle> {
      return openCycle(orm, redis, input);
    },

    async raiseAllowance(input: Change & { cycle: CycleWindow; fromPlanKey: string | null }): Promise<{ allowanceTokens: number | null }> {
      return raiseAllowance(orm, redis, input);
    },

    async rollOverCycle(input: Change & { closing: CycleWindow; closingPlanKey: string | null; closingAllowanceTokens: number | null; opening: CycleWindow | null }): Promise<{ closed: ClosedCycle; opened: OpenedCycle | null }> {
      return rollOverCycle(orm, redis, input);
    },

    async saveBillingState(input: Change): Promise<void> {
      await saveBillingState(orm, redis, input);
    },

    /** Once per customer, cycle and threshold. */
    async sendUsageAlert(input: { customerId: string } & UsageAlert): Promise<{ mailed: boolean }> {
      const { subject, text } = usageAlertText(input);
      return notice({
        customerId: input.customerId,
        kind: 'usage.alert',
        dedupeKey: `usage-alert:${input.customerId}:${input.cycleStartAt}:${input.thresholdPercent}`,
        subject,
        text,
      });
    },

    /** The closed cycle's statement, from its billing_cycles row; once per cycle. */
    async sendCycleSummary(input: { customerId: string; cycleStartAt: string; next: (CycleWindow & { planName: string }) | null }): Promise<{ mailed: boolean }> {
      const [row] = await orm.em.fork().getConnection().execute<Record<string, unknown>[]>(
        'select * from billing_cycles where customer_id = ? and start_at = ?',
        [input.customerId, input.cycleStartAt],
      );
      if (!row) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `no closed cycle starting ${input.cycleStartAt}`, nonRetryable: true });
      const { subject, text } = cycleSummaryText(row, input.next);
      return notice({ customerId: input.customerId, kind: 'billing.cycle_summary', dedupeKey: `cycle-summary:${input.customerId}:${input.cycleStartAt}`, subject, text });
    },

    /** Payment failed, suspended, reactivated: once per notice and reference (the invoice, or the past-due start). */
    async sendBillingNotice(input: { customerId: string; notice: BillingNotice; ref: string; graceEndsAt?: string }): Promise<{ mailed: boolean }> {
      const { subject, text } = billingNoticeText(input.notice, input.graceEndsAt);
      return notice({ customerId: input.customerId, kind: `billing.${input.notice}`, dedupeKey: `billing-${input.notice}:${input.customerId}:${input.ref}`, subject, text });
    },
  };
}
