// Anomaly alerts (docs/SUPPORT.md, "Anomaly alerts"): the brand's pause choice and resuming a
// paused key. Typed by the spec.
import { send } from './api';
import type { Body, Ok } from './types';

export type AnomalySettings = Ok<'getApiAnomalySettings'>;

export const anomalyApi = {
  settings: () => send<AnomalySettings>('GET', '/api/anomaly-settings'),
  /** Admins only. */
  save: (input: Body<'putApiAnomalySettings'>) => send<Ok<'putApiAnomalySettings'>>('PUT', '/api/anomaly-settings', input),
  /** Admins only; a key that is not paused comes back unchanged. */
  resumeKey: (id: string) => send<Ok<'postApiApiKeysIdResume'>>('POST', `/api/api-keys/${encodeURIComponent(id)}/resume`),
};
