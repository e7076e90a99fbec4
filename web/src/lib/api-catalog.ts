// The API calls of the catalog's pages: the onboarding checklist and the operator overview.
// Kept beside api.ts (same transport) so the pages built in parallel do not edit one table.
import { ApiError, send } from './api';
import type { components } from './api-schema';
import type { ErrorBody, Ok } from './types';

type Schemas = components['schemas'];
export type Onboarding = Schemas['Onboarding'];
export type OnboardingStep = Schemas['OnboardingStep'];
export type OperatorOverview = Schemas['OperatorOverview'];
export type HealthDetails = Schemas['HealthDetails'];

export const catalogApi = {
  onboarding: () => send<Ok<'getApiOnboarding'>>('GET', '/api/onboarding'),
  /** The app page's Copy button reports it; a failure is of no interest to the person copying. */
  snippetCopied: (slug: string) => send<void>('POST', '/api/onboarding/snippet-copied', { slug }),
  operatorOverview: () => send<Ok<'getApiOperatorOverview'>>('GET', '/api/operator/overview'),
  /** 503 is an answer here (something is down, and the body says what), not a failure. */
  async operatorHealth(): Promise<HealthDetails> {
    const res = await fetch('/api/operator/health', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = (await res.json().catch(() => null)) as HealthDetails | ErrorBody | null;
    if ((res.status === 200 || res.status === 503) && body && 'checks' in body) return body;
    const error = body && 'error' in body ? body.error : { code: 'UNEXPECTED_RESPONSE', message: `The server answered ${res.status}` };
    throw new ApiError(res.status, error);
  },
};
