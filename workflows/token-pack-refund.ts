// A refunded token pack, id token-pack-refund:<purchaseId>:<refundedCents> (one run per refund
// level, as Stripe reports the cumulative amount refunded), task queue `token-packs`. Started
// by the Stripe webhook dispatcher on charge.refunded, whatever state the purchase workflow is
// in (it has normally finished long before): the row lock in clawBackTokenPack and
// creditTokenPack makes the result the same in either order.
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityPresets } from '../temporal.config';
import type { TokenPackRefundInput } from './token-pack/messages';

const { clawBackTokenPack } = proxyActivities<Activities>({
  ...activityPresets.local,
  retry: { ...activityPresets.local.retry, nonRetryableErrorTypes: ['NOT_FOUND'] },
});

export async function tokenPackRefund(input: TokenPackRefundInput): Promise<{ clawedBackTokens: number }> {
  const share = input.refundedCents !== undefined && input.chargeCents !== undefined ? { refundedCents: input.refundedCents, chargeCents: input.chargeCents } : undefined;
  const partial = share !== undefined && share.refundedCents < share.chargeCents;
  setCurrentDetails(`Refund of purchase ${input.purchaseId} (event ${input.eventId}): ${partial ? `taking back the refunded share (${share.refundedCents} of ${share.chargeCents} cents)` : 'taking back the unused tokens'}`);
  const result = await clawBackTokenPack(share ? { purchaseId: input.purchaseId, share } : { purchaseId: input.purchaseId });
  setCurrentDetails(`Refunded: ${result.clawedBackTokens} tokens taken back as a ledger entry`);
  return result;
}
