// The one Temporal Schedule of the reconciliation audit: every RECONCILE_AUDIT_INTERVAL (5
// minutes by default), starting reconcileAudit on the `ops` queue. Created at worker start
// (activities/worker.ts); a worker started with another interval moves the Schedule to it, so
// the configuration, not whichever worker came first, decides.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { queueName, reconcileAuditScheduleId, taskQueues } from '../temporal.config';
import { reconcileAuditWorkflowType, type ReconcileAuditInput, type ReconcileAuditWorkflow } from '../workflows/operator/messages';

export interface ReconcileAuditScheduleConfig {
  intervalMs: number;
  fullSweepEveryMs: number;
}

/** `created`: this call made it; `updated`: it was there with another interval or sweep period. */
export async function ensureReconcileAuditSchedule(client: Client, taskQueuePrefix: string, config: ReconcileAuditScheduleConfig): Promise<{ scheduleId: string; created: boolean; updated: boolean }> {
  const scheduleId = reconcileAuditScheduleId(taskQueuePrefix);
  const args: [ReconcileAuditInput] = [{ fullSweepEveryMs: config.fullSweepEveryMs }];
  const action = { type: 'startWorkflow' as const, workflowType: reconcileAuditWorkflowType, workflowId: scheduleId, taskQueue: queueName(taskQueues.ops, taskQueuePrefix), args };
  try {
    await client.schedule.create<ReconcileAuditWorkflow>({
      scheduleId,
      spec: { intervals: [{ every: config.intervalMs }] },
      action,
      // A run still going is never doubled; a run missed during an outage is not made up (the
      // next one looks at everything since the last run that finished anyway).
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
    return { scheduleId, created: true, updated: false };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const every = current.spec.intervals?.[0]?.every;
  const sweep = current.action.type === 'startWorkflow' ? (current.action.args?.[0] as ReconcileAuditInput | undefined)?.fullSweepEveryMs : undefined;
  if (every === config.intervalMs && current.spec.intervals?.length === 1 && sweep === config.fullSweepEveryMs) return { scheduleId, created: false, updated: false };
  await handle.update<ReconcileAuditWorkflow>((previous) => ({ ...previous, spec: { intervals: [{ every: config.intervalMs }] }, action }));
  return { scheduleId, created: false, updated: true };
}
