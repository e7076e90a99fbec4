// The email of one operator alert, id operator-alert:<alertId>, started by whoever raised the
// alert (clients/operator-alerts.ts) and never awaited by it. Retried like a brand's notice (the
// `delivery` preset, about an hour); an alert whose email never went out stays in the console,
// where operators see it anyway, and the audit's sweep tries it again on a later run.
import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { DeliverOperatorAlertInput, DeliverOperatorAlertResult } from './operator/messages';

const { sendOperatorAlertEmail } = proxyActivities<Activities>(activityPresets.delivery);

export async function deliverOperatorAlert(input: DeliverOperatorAlertInput): Promise<DeliverOperatorAlertResult> {
  setCurrentDetails(`Emailing operator alert ${input.alertId}`);
  try {
    return { outcome: await sendOperatorAlertEmail({ alertId: input.alertId }) };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { outcome: 'failed' };
  }
}
