// The brand's side of operator adjustments: its billing history lists each credit and take-back
// with its reason, so a change of balance it did not make is never unexplained.
import { z } from 'zod';
import { adjustmentReasonLabels } from '../../domain/billing/adjustment-rules';
import { listAdjustments } from '../../domain/billing/adjustments';
import { adjustmentReasonCodes } from '../../domain/entities';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

export const billingAdjustmentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/billing/adjustments',
    summary: "Lists the tokens VARAi credited or took back, newest first, with the reason (the brand's billing history)",
    tag: 'billing',
    access: 'read',
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
    responses: {
      200: {
        description: 'The latest adjustments',
        schema: z.object({
          adjustments: z.array(
            z.object({
              adjustmentId: z.uuid(),
              tokens: z.number().int().meta({ description: 'Positive: credited; negative: taken back.' }),
              reasonCode: z.enum(adjustmentReasonCodes),
              reason: z.string().meta({ description: 'The reason in words.' }),
              note: z.string().nullable(),
              expiresAt: z.string().nullable().meta({ description: 'When credited tokens expire (end exclusive); null never.' }),
              createdAt: z.string(),
            }),
          ),
        }),
      },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: a limit outside 1–100', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const rows = await listAdjustments(deps.orm.em.fork(), customerIdOf(ctx), query.limit);
      ctx.body = { adjustments: rows.map((a) => ({ ...a, reason: adjustmentReasonLabels[a.reasonCode] })) };
    },
  }),
];
