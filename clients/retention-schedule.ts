// The one Temporal Schedule of the retention policy: daily at 03:15 UTC, starting enforceRetention
// on the `ops` queue. Created at worker start (activities/worker.ts); a second creation finds it
// and leaves it as it is, so every worker may try.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { queueName, retentionScheduleId, taskQueues } from '../temporal.config';
import { enforceRetentionWorkflowType, type EnforceRetentionWorkflow } from '../workflows/privacy/messages';

/** `created`: this call made it; false: it was there already. */
export async function ensureRetentionSchedule(client: Client, taskQueuePrefix: string): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = retentionScheduleId(taskQueuePrefix);
  try {
    await client.schedule.create<EnforceRetentionWorkflow>({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 15, comment: 'daily, 03:15 UTC: a quiet hour' }] },
      action: { type: 'startWorkflow', workflowType: enforceRetentionWorkflowType, workflowId: scheduleId, taskQueue: queueName(taskQueues.ops, taskQueuePrefix), args: [] },
      // One run at a time; a day missed (workers down) is caught up once, the next run covers the rest.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return { scheduleId, created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { scheduleId, created: false };
    throw err;
  }
}
