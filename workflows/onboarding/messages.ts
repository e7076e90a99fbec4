// What crosses the boundary of the onboardCustomer workflow: input, result and state query.
import { defineQuery } from '@temporalio/workflow';

/** The workflow's registered type name; histories and callers name it. */
export const onboardCustomerWorkflowType = 'onboardCustomer';

export interface OnboardCustomerInput {
  customerId: string;
}

export interface OnboardCustomerResult {
  stripeCustomerId: string;
}

export type OnboardCustomerWorkflow = (input: OnboardCustomerInput) => Promise<OnboardCustomerResult>;

export type OnboardingState = { step: 'linking-stripe' } | { step: 'done'; stripeCustomerId: string };

export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
