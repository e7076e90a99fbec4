// One notice's delivery, id notice-delivery:<notificationId>, started by whoever recorded the
// notice (clients/notices.ts) and never awaited by it: the billing workflow's outbox finishes
// its step as soon as the notice is recorded, so a broken mail or SMS provider cannot hold up
// billing. Each channel of each user is retried on its own (the `delivery` preset: about an hour
// of back-off), then recorded failed with its last reason.
import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { DeliverNoticeInput, DeliverNoticeResult } from './notify/messages';

const { deliverNoticeChannel } = proxyActivities<Activities>(activityPresets.delivery);
const { markNoticeDeliveryFailed } = proxyActivities<Activities>(activityPresets.local);

const reasonOf = (err: unknown) => (err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err));

export async function deliverNotice(input: DeliverNoticeInput): Promise<DeliverNoticeResult> {
  setCurrentDetails(`Delivering notice ${input.notificationId} on ${input.deliveryIds.length} channel(s)`);
  const outcomes = await Promise.all(
    input.deliveryIds.map(async (deliveryId) => {
      try {
        await deliverNoticeChannel({ deliveryId });
        return 'sent' as const;
      } catch (err) {
        await markNoticeDeliveryFailed({ deliveryId, reason: reasonOf(err) });
        return 'failed' as const;
      }
    }),
  );
  const result = { sent: outcomes.filter((o) => o === 'sent').length, failed: outcomes.filter((o) => o === 'failed').length };
  setCurrentDetails(`Delivered: ${result.sent} sent, ${result.failed} failed`);
  return result;
}
