// Auto top-up's activities: deciding to buy at a crossing (settings and the month's cap, under
// the brand's lock), charging the saved card off-session, and turning auto top-up off after the
// second decline (a brand notice and an operator alert). Each is idempotent: the purchase is
// keyed by its crossing, each charge attempt by purchase id and attempt number at Stripe, the
// notice and the alert by their dedupe keys.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import Stripe from 'stripe';
import { startOffSessionPurchase } from '../clients/auto-top-up';
import { raiseNotice } from '../clients/notices';
import { alertOperators } from '../clients/operator-alerts';
import { systemActor } from '../domain/audit/actor';
import { recordAudit } from '../domain/audit/record';
import { capAllows, decliningTestPaymentMethods, disabledForDecline, monthStartUtc } from '../domain/billing/auto-top-up';
import { autoTopUpsThisMonth, disableAutoTopUp } from '../domain/billing/auto-top-up-settings';
import type { StripeMode } from '../domain/billing/stripe-mode';
import { recordTestIntentSucceeded } from '../domain/billing/test-payment-event';
import { AutoTopUp, AutoTopUpSetting, Customer, TokenPackPurchase } from '../domain/entities';
import { ErrorCode } from '../domain/errors';
import type { Config } from '../domain/infra/config';

export interface AutoTopUpActivityDeps {
  orm: MikroORM;
  stripe: Stripe;
  temporal: Client;
  stripeMode: StripeMode;
  taskQueuePrefix: string;
  portalUrl: string;
  /** The deployment's config (the worker passes all of it): the retry back-off and the webhook secret. */
  billingStart: Pick<Config, 'tokenPacks'> & { stripe: Pick<Config['stripe'], 'webhookSecret'> };
}

export type ChargeOutcome = { outcome: 'paid'; paymentIntentId: string; eventId: string } | { outcome: 'declined'; declineCode: string; message: string };

const notFound = (purchaseId: string) => ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `auto top-up purchase ${purchaseId} does not exist`, nonRetryable: true });

export function createAutoTopUpActivities({ orm, stripe, temporal, stripeMode, taskQueuePrefix, portalUrl, billingStart }: AutoTopUpActivityDeps) {
  /** The brand's balance is low and the cap stops the purchase: its admins hear it once a month. */
  async function tellCapReached(customerId: string, cap: number, balanceTokens: number, now: Date): Promise<void> {
    const month = monthStartUtc(now).toISOString().slice(0, 7);
    await raiseNotice(orm, temporal, Context.current().info.taskQueue, {
      customerId,
      kind: 'billing.auto_top_up_capped',
      dedupeKey: `auto-top-up-capped:${customerId}:${month}`,
      subject: 'Auto top-up reached this month’s cap',
      text: `Your balance fell to ${balanceTokens} tokens, but auto top-up has already bought ${cap} ${cap === 1 ? 'pack' : 'packs'} this month, its cap. No pack was bought. Buy one on the Billing page, or raise the cap there.`,
    });
  }

  return {
    /**
     * A crossing reported by the billing workflow: buys the chosen pack unless auto top-up is off
     * or the month's cap is reached. The decision and the purchase row commit together under the
     * brand's lock, so two crossings racing (they do not: the outbox sends one at a time) could
     * still not both take the last place under the cap.
     */
    async startAutoTopUp(input: { customerId: string; triggerKey: string; balanceTokens: number; thresholdTokens: number }): Promise<{ outcome: 'started'; purchaseId: string } | { outcome: 'skipped'; reason: string }> {
      const now = new Date();
      const decided = await orm.em.fork().transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 11))', [`auto-top-up:${input.customerId}`]);
        const setting = await tx.findOne(AutoTopUpSetting, { customer: input.customerId }, { populate: ['pack'] });
        const earlier = await tx.findOne(AutoTopUp, { customer: input.customerId, triggerKey: input.triggerKey }, { populate: ['purchase'] });
        if (earlier) return { purchase: earlier.purchase, paymentMethodId: setting?.paymentMethodId ?? null };
        if (!setting?.enabled || !setting.paymentMethodId) return { skipped: 'auto top-up is off' };
        const used = await autoTopUpsThisMonth(tx, input.customerId, now);
        if (!capAllows(used, setting.monthlyCap)) return { skipped: `this month's cap of ${setting.monthlyCap} purchases is reached`, capped: setting.monthlyCap };
        const pack = setting.pack;
        const customer = tx.getReference(Customer, input.customerId);
        const purchase = tx.create(TokenPackPurchase, { customer, pack, tokens: pack.tokens, amountCents: pack.priceCents, currency: pack.currency });
        tx.create(AutoTopUp, { purchase, customer, triggerKey: input.triggerKey, balanceTokens: input.balanceTokens, thresholdTokens: input.thresholdTokens });
        recordAudit(tx, {
          actor: systemActor,
          customerId: input.customerId,
          action: 'token_pack.auto_top_up_started',
          target: { type: 'token_pack_purchase', id: purchase.id },
          details: { pack: pack.lookupKey, amountCents: pack.priceCents, currency: pack.currency, balanceTokens: input.balanceTokens, thresholdTokens: input.thresholdTokens, usedThisMonth: used + 1, monthlyCap: setting.monthlyCap },
        });
        return { purchase, paymentMethodId: setting.paymentMethodId };
      });
      if ('skipped' in decided) {
        if (decided.capped) await tellCapReached(input.customerId, decided.capped, input.balanceTokens, now);
        return { outcome: 'skipped', reason: decided.skipped! };
      }
      const { purchase, paymentMethodId } = decided;
      // A retry of this start after the brand's settings row was erased: no card left to charge.
      if (!paymentMethodId) return { outcome: 'skipped', reason: 'auto top-up is off' };
      await startOffSessionPurchase(temporal, taskQueuePrefix, {
        purchaseId: purchase.id,
        customerId: input.customerId,
        tokens: purchase.tokens,
        paymentWindowMs: billingStart.tokenPacks.paymentWindowMs,
        returnUrl: `${portalUrl}/#/billing`,
        offSession: { paymentMethodId, retryDelayMs: billingStart.tokenPacks.autoTopUpRetryMs },
      });
      return { outcome: 'started', purchaseId: purchase.id };
    },

    /**
     * One off-session attempt: a PaymentIntent on the saved card, confirmed at once. A decline is
     * an answer, not an error (the workflow decides about the retry); anything else (Stripe
     * unreachable) throws and Temporal retries the same attempt under the same idempotency key.
     */
    async chargeSavedPaymentMethod(input: { purchaseId: string; stripeCustomerId: string; paymentMethodId: string; attempt: number }): Promise<ChargeOutcome> {
      const em = orm.em.fork();
      const purchase = await em.findOne(TokenPackPurchase, { id: input.purchaseId }, { populate: ['pack'] });
      if (!purchase) throw notFound(input.purchaseId);
      await em.execute('update auto_top_ups set attempts = greatest(attempts, ?) where purchase_id = ?', [input.attempt, purchase.id]);
      const declined = async (declineCode: string, message: string): Promise<ChargeOutcome> => {
        await em.execute('update auto_top_ups set decline_code = ? where purchase_id = ?', [declineCode.slice(0, 100), purchase.id]);
        return { outcome: 'declined', declineCode, message };
      };
      const testDecline = stripeMode === 'test' ? decliningTestPaymentMethods[input.paymentMethodId] : undefined;
      if (testDecline) return declined(testDecline, 'Your card was declined. (Stripe test payment method)');
      const metadata = { purchaseId: purchase.id, customerId: purchase.customer.id, autoTopUp: 'true' };
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.create(
          {
            amount: purchase.amountCents,
            currency: purchase.currency,
            customer: input.stripeCustomerId,
            payment_method: input.paymentMethodId,
            off_session: true,
            confirm: true,
            description: `Auto top-up: ${purchase.pack.name}`,
            metadata,
          },
          { idempotencyKey: `auto-top-up:${purchase.id}:attempt-${input.attempt}` },
        );
      } catch (err) {
        // card_declined, insufficient_funds, authentication_required (the bank wants the buyer present)…
        if (err instanceof Stripe.errors.StripeCardError) return declined(err.decline_code ?? err.code ?? 'card_declined', err.message);
        throw err;
      }
      if (intent.status === 'succeeded') return { outcome: 'paid', paymentIntentId: intent.id, eventId: intent.id };
      if (stripeMode === 'live') return declined(intent.last_payment_error?.code ?? intent.status, `The payment is ${intent.status}.`);
      const eventId = await recordTestIntentSucceeded(
        em,
        stripe,
        billingStart.stripe.webhookSecret,
        { eventId: `evt_test_auto_${purchase.id.replace(/-/g, '')}_${input.attempt}`, paymentIntentId: intent.id, amountCents: purchase.amountCents, currency: purchase.currency, stripeCustomerId: input.stripeCustomerId, metadata },
        new Date(),
      );
      return { outcome: 'paid', paymentIntentId: intent.id, eventId };
    },

    /** The second decline: auto top-up off with the reason, the brand's admins told (billing notice) and the operators alerted, once per purchase. */
    async turnOffAutoTopUpAfterDecline(input: { purchaseId: string; declineCode: string }): Promise<{ turnedOff: boolean }> {
      const em = orm.em.fork();
      const purchase = await em.findOne(TokenPackPurchase, { id: input.purchaseId }, { populate: ['pack', 'customer'] });
      if (!purchase) throw notFound(input.purchaseId);
      const reason = disabledForDecline(input.declineCode, purchase.pack.name);
      const turnedOff = await disableAutoTopUp(em, purchase.customer.id, reason, { actor: systemActor }, new Date());
      const taskQueue = Context.current().info.taskQueue;
      await raiseNotice(orm, temporal, taskQueue, {
        customerId: purchase.customer.id,
        kind: 'billing.auto_top_up_disabled',
        dedupeKey: `auto-top-up-disabled:${purchase.id}`,
        subject: 'Auto top-up is off: your card was declined',
        text: [`Hello ${purchase.customer.name},`, '', `We tried twice to buy ${purchase.pack.name} with your saved card, and it was declined both times (${input.declineCode}).`, '', reason, '', `Purchase: ${purchase.id}`].join('\n'),
      });
      // Operators too: a brand whose top-ups stopped may soon run out, and may want a call.
      await alertOperators(orm, temporal, taskQueue, {
        kind: 'auto-top-up-disabled',
        dedupeKey: `auto-top-up-disabled:${purchase.id}`,
        customerId: purchase.customer.id,
        subject: `Auto top-up turned off for ${purchase.customer.name}: card declined twice`,
        text: `The saved card of ${purchase.customer.name} was declined twice (${input.declineCode}) buying ${purchase.pack.name}; auto top-up is off until an admin turns it on again. Purchase ${purchase.id}.`,
        details: { purchaseId: purchase.id, declineCode: input.declineCode, pack: purchase.pack.lookupKey },
      });
      return { turnedOff };
    },
  };
}
