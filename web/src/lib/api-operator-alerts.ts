// The operators' alert list (drifts found by the reconciliation audit, usage spikes, …) and its acknowledgement.
import { send } from './api';
import type { Ok } from './types';

export type OperatorAlert = Ok<'getApiOperatorAlerts'>['alerts'][number];

export const operatorAlertsApi = {
  list: (status: 'open' | 'all' = 'open') => send<Ok<'getApiOperatorAlerts'>>('GET', `/api/operator/alerts?status=${status}`),
  acknowledge: (id: string) => send<Ok<'postApiOperatorAlertsIdAcknowledge'>>('POST', `/api/operator/alerts/${encodeURIComponent(id)}/acknowledge`),
};

/** The figure an operator scans for: `details.differenceTokens` when the alert has one. */
export function differenceOf(alert: OperatorAlert): number | null {
  const d = alert.details.differenceTokens;
  return typeof d === 'number' && Number.isFinite(d) ? d : null;
}
