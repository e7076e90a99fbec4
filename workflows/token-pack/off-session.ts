// The off-session payment of an auto top-up's purchase: charge the saved card (a PaymentIntent
// with off_session and confirm), and on a decline wait `retryDelayMs` and try once more. Never
// more: after the second decline the purchase fails and auto top-up is turned off, so a card
// that keeps failing costs the brand two declines, not a loop. Each attempt has its own Stripe
// idempotency key (purchase id + attempt number), so a retried activity never charges twice.
import { proxyActivities, setCurrentDetails, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { activityPresets } from '../../temporal.config';
import type { PurchaseState, TokenPackPurchaseInput } from './messages';

/** The first attempt and the one retry. */
const attempts = 2;

const nonRetryableErrorTypes = ['NOT_FOUND'];
const stripe = proxyActivities<Activities>({ ...activityPresets.external, retry: { ...activityPresets.external.retry, nonRetryableErrorTypes } });
const local = proxyActivities<Activities>({ ...activityPresets.local, retry: { ...activityPresets.local.retry, nonRetryableErrorTypes } });

/** True once Stripe took the payment (`state.payment` says how); false after the second decline, the purchase failed. */
export async function payOffSession(input: TokenPackPurchaseInput & { offSession: NonNullable<TokenPackPurchaseInput['offSession']> }, state: PurchaseState): Promise<boolean> {
  const { purchaseId, customerId, offSession } = input;
  state.step = 'charging';
  let declineCode = 'card_declined';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      setCurrentDetails(`The saved card was declined (${declineCode}): trying once more in ${Math.round(offSession.retryDelayMs / 1000)} s`);
      await sleep(offSession.retryDelayMs);
    }
    setCurrentDetails(`Charging the saved card for a ${input.tokens}-token pack (attempt ${attempt} of ${attempts})`);
    const { stripeCustomerId } = await stripe.ensureStripeCustomer({ customerId });
    const charge = await stripe.chargeSavedPaymentMethod({ purchaseId, stripeCustomerId, paymentMethodId: offSession.paymentMethodId, attempt });
    if (charge.outcome === 'paid') {
      state.payment = { eventId: charge.eventId, paymentIntentId: charge.paymentIntentId };
      return true;
    }
    declineCode = charge.declineCode;
  }
  state.failure = `The saved card was declined twice (${declineCode})`;
  await local.markPackPurchaseFailed({ purchaseId });
  await local.turnOffAutoTopUpAfterDecline({ purchaseId, declineCode });
  state.step = 'failed';
  setCurrentDetails(`${state.failure}: auto top-up is turned off and the brand's admins are told`);
  return false;
}
