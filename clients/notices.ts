// Raising a notice: record it with its deliveries (domain/notify/notice.ts), then start its
// delivery workflow without waiting for it. Called from activities of every workflow that tells
// a brand something (usage alerts, dunning, receipts, activation results, weekly summaries).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { TypedSearchAttributes } from '@temporalio/common';
import { recordNotice, type Notice, type RecordedNotice } from '../domain/notify/notice';
import { searchAttributes, workflowIds } from '../temporal.config';
import { deliverNoticeWorkflowType, type DeliverNoticeWorkflow } from '../workflows/notify/messages';

/**
 * `taskQueue` is the full name of the queue the caller runs on: the worker that raised the
 * notice serves its delivery too (every worker registers every workflow), so no extra queue must
 * be running for a notice to go out. Idempotent: a retry finds the notice recorded and the
 * workflow started, and changes nothing.
 */
export async function raiseNotice(orm: MikroORM, temporal: Client, taskQueue: string, notice: Notice): Promise<RecordedNotice> {
  const recorded = await recordNotice(orm, notice);
  if (recorded.pending.length) {
    try {
      await temporal.workflow.start<DeliverNoticeWorkflow>(deliverNoticeWorkflowType, {
        taskQueue,
        workflowId: workflowIds.noticeDelivery(recorded.notificationId),
        args: [{ notificationId: recorded.notificationId, customerId: notice.customerId, deliveryIds: recorded.pending }],
        typedSearchAttributes: new TypedSearchAttributes([{ key: searchAttributes.customerId, value: notice.customerId }]),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return recorded;
}
