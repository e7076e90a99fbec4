// The app page's calls (#/apps/<slug>): its details, the activation and its live progress, and
// the Embed panel's first-call check. Kept apart from api.ts so the marketplace parts merge cleanly.
import { send } from './api';
import type { operations } from './api-schema';
import type { Ok } from './types';

export type AppDetail = Ok<'getApiAppsSlug'>['app'];
export type AppDetailAnswer = Ok<'getApiAppsSlug'>;
export type ActivationProgress = Ok<'getApiAppsSlugActivation'>;
export type StepState = ActivationProgress['steps'][number]['state'];
export type FirstCall = Ok<'getApiAppsSlugFirstCall'>;
/** Both actions answer 202 Accepted: the workflow does the work after the answer. */
export type ActivationAccepted = operations['postApiAppsSlugActivate']['responses'][202]['content']['application/json'];

const path = (slug: string, rest = '') => `/api/apps/${encodeURIComponent(slug)}${rest}`;

export const appPageApi = {
  app: (slug: string) => send<AppDetailAnswer>('GET', path(slug)),
  activation: (slug: string) => send<ActivationProgress>('GET', path(slug, '/activation')),
  activate: (slug: string) => send<ActivationAccepted>('POST', path(slug, '/activate')),
  deactivate: (slug: string) => send<ActivationAccepted>('POST', path(slug, '/deactivate')),
  firstCall: (slug: string) => send<FirstCall>('GET', path(slug, '/first-call')),
  /** The onboarding checklist's "snippet copied" (built by the catalog part); a failure changes nothing here. */
  snippetCopied: (slug: string) => send<void>('POST', '/api/onboarding/snippet-copied', { slug }).catch(() => undefined),
};
