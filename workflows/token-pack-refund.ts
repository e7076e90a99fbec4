// A refunded token pack, id token-pack-refund:<purchaseId>, task queue `token-packs`. Started
// by the Stripe webhook dispatcher on charge.refunded, whatever state the purchase workflow is
// in (it has normally finished long before): the row lock in clawBackTokenPack and
// creditTokenPack makes the result the same in either order.
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';

const { clawBackTokenPack } = proxyActivities<Activities>({
  ...activityPresets.local,
  retry: { ...activityPresets.local.retry, nonRetryableErrorTypes: ['NOT_FOUND'] },
});

export interface TokenPackRefundInput {
  purchaseId: string;
  /** The charge.refunded event, for support. */
  eventId: string;
}

export async function tokenPackRefund(input: TokenPackRefundInput): Promise<{ clawedBackTokens: number }> {
  setCurrentDetails(`Refund of purchase ${input.purchaseId} (event ${input.eventId}): taking back the unused tokens`);
  const result = await clawBackTokenPack({ purchaseId: input.purchaseId });
  setCurrentDetails(`Refunded: ${result.clawedBackTokens} unused tokens taken back as a ledger entry`);
  return result;
}
