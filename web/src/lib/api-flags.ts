// The operator's feature-flags page: its calls, typed by the spec.
import { send } from './api';
import type { components } from './api-schema';
import type { Body, Ok } from './types';

export type FeatureFlag = components['schemas']['FeatureFlag'];
export type FlagInput = Body<'putApiOperatorFlagsKey'>;

export const flagsApi = {
  list: () => send<Ok<'getApiOperatorFlags'>>('GET', '/api/operator/flags'),
  /** Creates or replaces; `changed: false` for a repeat (not audited again). */
  put: (key: string, input: FlagInput) => send<Ok<'putApiOperatorFlagsKey'>>('PUT', `/api/operator/flags/${encodeURIComponent(key)}`, input),
};
