// Activities of the billing workflow's operator requests (workflows/billing/operator-requests.ts):
// the adjustment in the ledger, and the brand's notice of it. Both are keyed by the billing
// message or the adjustment id, so a retry changes nothing twice.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { raiseNotice } from '../clients/notices';
import { adjustmentReasonLabels } from '../domain/billing/adjustment-rules';
import { applyAdjustment, findAdjustment, type AdjustmentOutcome, type AdjustmentRequest } from '../domain/billing/adjustments';
import { adjustmentNoticeText } from '../domain/billing/notices';
import { ErrorCode } from '../domain/errors';
import type { RedisClient } from '../domain/infra/redis';

export interface OperatorRequestActivityDeps {
  orm: MikroORM;
  redis: RedisClient;
  temporal: Client;
}

export function createOperatorRequestActivities({ orm, redis, temporal }: OperatorRequestActivityDeps) {
  return {
    /** Credits or takes back tokens once per billing message (token_adjustments.message_id). */
    async applyTokenAdjustment(input: AdjustmentRequest): Promise<AdjustmentOutcome> {
      return applyAdjustment(orm, redis, input);
    },

    /** The brand's notice of an adjustment, once per adjustment (billing category: admins by email). */
    async sendAdjustmentNotice(input: { customerId: string; adjustmentId: string }): Promise<{ mailed: boolean }> {
      const a = await findAdjustment(orm.em.fork(), input.adjustmentId);
      if (!a || a.customerId !== input.customerId) throw ApplicationFailure.create({ type: ErrorCode.NOT_FOUND, message: `no adjustment ${input.adjustmentId}`, nonRetryable: true });
      const { subject, text } = adjustmentNoticeText({ tokens: a.tokens, reasonLabel: adjustmentReasonLabels[a.reasonCode], note: a.note, expiresAt: a.expiresAt });
      const { recorded } = await raiseNotice(orm, temporal, Context.current().info.taskQueue, {
        customerId: input.customerId,
        kind: 'billing.adjustment',
        dedupeKey: `adjustment:${input.adjustmentId}`,
        subject,
        text,
      });
      return { mailed: recorded };
    },
  };
}
