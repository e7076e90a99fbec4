// The weekly summary run, started by the one Schedule `weekly-usage-summary` (clients/
// weekly-summary-schedule.ts) on the `ops` queue. It walks the brands a page at a time and sums
// up each page's brands in parallel batches (one activity per brand, so one brand's failure
// retries alone); each page continues as new, so the history stays small however many brands
// there are. Who receives a summary is decided per user by the weekly-summary preference when
// the notice is recorded; the dedupe key (brand and week) makes a rerun send nothing twice.
import { continueAsNew, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { SendWeeklySummariesInput, SendWeeklySummariesResult } from './notify/messages';

const { weeklySummaryBrands, sendWeeklySummary } = proxyActivities<Activities>({ ...activityPresets.local, startToCloseTimeout: '1 minute' });

const pageSize = 200;
const parallel = 10;
const dayMs = 86_400_000;

export async function sendWeeklySummaries(input: SendWeeklySummariesInput): Promise<SendWeeklySummariesResult> {
  // The run's start time is recorded in its history, so a replay computes the same week.
  const weekEnd = input.weekEnd ?? new Date(Math.floor(workflowInfo().startTime.getTime() / dayMs) * dayMs).toISOString();
  const { customerIds } = input.customerIds ? { customerIds: input.customerIds } : await weeklySummaryBrands({ after: input.after ?? null, limit: pageSize });
  for (let i = 0; i < customerIds.length; i += parallel) {
    await Promise.all(customerIds.slice(i, i + parallel).map((customerId) => sendWeeklySummary({ customerId, weekEnd })));
    setCurrentDetails(`Week ending ${weekEnd}: ${(input.done ?? 0) + Math.min(i + parallel, customerIds.length)} brands summed up`);
  }
  const done = (input.done ?? 0) + customerIds.length;
  if (!input.customerIds && customerIds.length === pageSize) await continueAsNew<typeof sendWeeklySummaries>({ weekEnd, after: customerIds[customerIds.length - 1], done });
  return { weekEnd, brands: done };
}
