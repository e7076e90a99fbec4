// The daily retention run, started by the `data-retention` Schedule on the `ops` queue: one
// activity that deletes what the policy says has expired (domain/privacy/retention.ts). It runs
// in batches and may take minutes on a first run over years of rows, hence the long timeout; a
// failed attempt is retried, and a retry only finds less to delete.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { EnforceRetentionResult } from './privacy/messages';

const { purgeExpiredPersonalData } = proxyActivities<Activities>({ ...activityPresets.local, startToCloseTimeout: '30 minutes' });

export async function enforceRetention(): Promise<EnforceRetentionResult> {
  return purgeExpiredPersonalData();
}
