// One token-pack purchase, id token-pack:<purchaseId>, task queue `token-packs`:
// ensureStripeCustomer → createPackCheckoutSession (or, for auto top-up, the saved card charged
// off-session: token-pack/off-session.ts) → wait for packPaidSignal (sent by the
// Stripe webhook dispatcher) up to the payment window → creditTokenPack (ledger + Redis, once,
// only if Stripe confirms the payment; an unconfirmed report is recorded and the wait goes on)
// → reportPackCredited to the billing workflow (update-with-start) → recordPackRevenue → sendPackReceipt.
// No payment within the window: expireCheckoutSession, and the purchase ends `expired`.
// Refunds are not waited for here: charge.refunded starts tokenPackRefund (its own file).
import {
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets, workflowIds } from '../temporal.config';
import { packCreditedSignal } from './billing/messages';
import { payOffSession } from './token-pack/off-session';
import { checkoutUrlUpdate, packPaidSignal, purchaseStateQuery, type PurchaseState, type PurchaseStep, type TokenPackPurchaseInput, type TokenPackPurchaseResult } from './token-pack/messages';

/** Business failures: retrying them cannot help. */
const nonRetryableErrorTypes = ['NOT_FOUND'];

const { ensureStripeCustomer, createPackCheckoutSession, creditTokenPack, expireCheckoutSession } = proxyActivities<Activities>({
  ...activityPresets.external,
  retry: { ...activityPresets.external.retry, nonRetryableErrorTypes },
});
/** Runs that reached this step before packs were reported by update still signal (their histories replay). */
const packCreditUpdatePatch = 'pack-credit-update';

const { recordPackRevenue, markPackPurchaseFailed, reportPackCredited } = proxyActivities<Activities>({
  ...activityPresets.local,
  retry: { ...activityPresets.local.retry, nonRetryableErrorTypes },
});
const { sendPackReceipt } = proxyActivities<Activities>({
  ...activityPresets.notify,
  retry: { ...activityPresets.notify.retry, nonRetryableErrorTypes },
});

const settled = (step: PurchaseStep) => step !== 'creating-checkout' && step !== 'charging';

export async function tokenPackPurchase(input: TokenPackPurchaseInput): Promise<TokenPackPurchaseResult> {
  const { purchaseId, customerId } = input;
  const state: PurchaseState = { purchaseId, step: 'creating-checkout', checkoutUrl: null, checkoutSessionId: null, payment: null, grantId: null, failure: null, unconfirmedEventIds: [] };
  setHandler(purchaseStateQuery, () => state);
  setHandler(packPaidSignal, (paid) => {
    // The first report wins; a second webhook for the same payment changes nothing, and a report
    // Stripe already did not confirm is not tried again.
    if (state.unconfirmedEventIds.includes(paid.eventId)) return;
    state.payment ??= paid;
  });
  setHandler(checkoutUrlUpdate, async () => {
    await condition(() => settled(state.step));
    return { checkoutUrl: state.checkoutUrl, step: state.step };
  });

  if (input.offSession) {
    // Auto top-up: the saved card instead of a checkout; the crediting below is the same.
    if (!(await payOffSession({ ...input, offSession: input.offSession }, state))) return { step: state.step, grantId: null };
  } else {
    setCurrentDetails(`Creating the Stripe checkout for a ${input.tokens}-token pack`);
    try {
      const { stripeCustomerId } = await ensureStripeCustomer({ customerId });
      const session = await createPackCheckoutSession({ purchaseId, stripeCustomerId, returnUrl: input.returnUrl });
      state.checkoutUrl = session.url;
      state.checkoutSessionId = session.sessionId;
    } catch (err) {
      state.failure = err instanceof Error ? err.message : String(err);
      await markPackPurchaseFailed({ purchaseId });
      state.step = 'failed';
      setCurrentDetails(`Could not create the Stripe checkout: ${state.failure}`);
      return { step: state.step, grantId: null };
    }
  }

  state.step = 'awaiting-payment';
  setCurrentDetails(`Waiting for the buyer to pay checkout session ${state.checkoutSessionId} (window ${Math.round(input.paymentWindowMs / 1000)} s)`);
  let windowOver = false;
  void sleep(input.paymentWindowMs).then(() => {
    windowOver = true;
  });

  // One pass per payment report: a report Stripe does not confirm (an unpaid or free session) is
  // recorded and the purchase waits on, for the real payment or the window's end. Histories from
  // before issue 11 never had an unconfirmed report, so they replay this loop once.
  for (;;) {
    await condition(() => state.payment !== null || windowOver);
    if (state.payment === null) {
      setCurrentDetails('No payment within the window: expiring the Stripe checkout session');
      const { outcome } = await expireCheckoutSession({ purchaseId });
      if (outcome !== 'paid') {
        // `closed`: the purchase left `pending` another way (a refund came first).
        state.step = outcome === 'expired' ? 'expired' : 'refunded';
        setCurrentDetails(outcome === 'expired' ? 'Expired: the buyer did not pay in time; no tokens were credited' : 'The purchase was closed before its payment arrived');
        return { step: state.step, grantId: null };
      }
      // Stripe says the session completed just before it would have expired: its webhook is on the way.
      setCurrentDetails('Stripe reports the checkout complete: waiting for its payment webhook');
      await condition(() => state.payment !== null);
    }

    state.step = 'crediting';
    const payment = state.payment!;
    setCurrentDetails(`Payment reported by Stripe event ${payment.eventId}: crediting ${input.tokens} tokens`);
    const credit = await creditTokenPack({ purchaseId, paymentIntentId: payment.paymentIntentId, eventId: payment.eventId });
    if (credit.outcome === 'unpaid') {
      state.unconfirmedEventIds.push(payment.eventId);
      state.payment = null;
      state.step = 'awaiting-payment';
      setCurrentDetails(`Stripe does not confirm the payment reported by event ${payment.eventId}: still waiting for payment`);
      continue;
    }
    if (credit.outcome === 'refunded') {
      state.step = 'refunded';
      setCurrentDetails('Refunded before it was credited: no tokens were credited');
      return { step: state.step, grantId: null };
    }
    state.grantId = credit.grantId ?? null;
    break;
  }
  state.step = 'credited';

  setCurrentDetails(`Credited ${input.tokens} tokens: telling the billing workflow`);
  if (patched(packCreditUpdatePatch)) {
    // Update-with-start: the brand's first purchase starts its billing workflow, and a retry is answered once.
    await reportPackCredited({ customerId, purchaseId, tokens: input.tokens });
  } else {
    try {
      await getExternalWorkflowHandle(workflowIds.billing(customerId)).signal(packCreditedSignal, { purchaseId, tokens: input.tokens });
    } catch (err) {
      // No billing workflow for this brand yet: the ledger already holds the pack, which is the truth.
      log.info('billing workflow not signalled', { customerId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  setCurrentDetails(`Credited ${input.tokens} tokens: recording the revenue`);
  await recordPackRevenue({ purchaseId });
  setCurrentDetails(`Credited ${input.tokens} tokens: emailing the receipt`);
  await sendPackReceipt({ purchaseId });
  setCurrentDetails(`Done: ${input.tokens} tokens credited, revenue recorded, receipt sent`);
  return { step: state.step, grantId: state.grantId };
}
