// The one Temporal Schedule of the weekly summary mail: Mondays 07:00 UTC, starting
// sendWeeklySummaries on the `ops` queue. Created at worker start (activities/worker.ts) and by
// `npm run up`; a second creation finds it and leaves it as it is, so every worker may try.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { queueName, taskQueues, weeklySummaryScheduleId } from '../temporal.config';
import { sendWeeklySummariesWorkflowType, type SendWeeklySummariesWorkflow } from '../workflows/notify/messages';

/** `created`: this call made it; false: it was there already. */
export async function ensureWeeklySummarySchedule(client: Client, taskQueuePrefix: string): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = weeklySummaryScheduleId(taskQueuePrefix);
  try {
    await client.schedule.create<SendWeeklySummariesWorkflow>({
      scheduleId,
      spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 7, comment: 'Mondays 07:00 UTC: the week just ended' }] },
      action: {
        type: 'startWorkflow',
        workflowType: sendWeeklySummariesWorkflowType,
        workflowId: scheduleId,
        taskQueue: queueName(taskQueues.ops, taskQueuePrefix),
        args: [{}],
      },
      // A week's run still going (thousands of brands) is never doubled; a worker outage of up
      // to a day still sends that week's summary when the server can start it.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return { scheduleId, created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { scheduleId, created: false };
    throw err;
  }
}
