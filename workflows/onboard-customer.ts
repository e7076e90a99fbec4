// A new brand gets its Stripe customer before it can subscribe or buy a pack. Started on
// sign-up with id onboarding:<customerId>, so a repeated start finds the first.
import { proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import { onboardingStateQuery, type OnboardCustomerInput, type OnboardCustomerResult, type OnboardingState } from './onboarding/messages';

const { ensureStripeCustomer } = proxyActivities<Activities>({
  ...activityPresets.external,
  retry: { ...activityPresets.external.retry, nonRetryableErrorTypes: ['NOT_FOUND'] },
});

export async function onboardCustomer(input: OnboardCustomerInput): Promise<OnboardCustomerResult> {
  let state: OnboardingState = { step: 'linking-stripe' };
  setHandler(onboardingStateQuery, () => state);
  setCurrentDetails(`Creating the Stripe customer for brand ${input.customerId}`);
  const { stripeCustomerId } = await ensureStripeCustomer({ customerId: input.customerId });
  state = { step: 'done', stripeCustomerId };
  setCurrentDetails(`Brand ${input.customerId} is linked to Stripe customer ${stripeCustomerId}`);
  return { stripeCustomerId };
}
