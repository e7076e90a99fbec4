// Auto top-up: GET the brand's settings with the month's count against the cap (any staff), PUT
// to turn it on with the admin's explicit consent, or off (admins). Turning it on tells the
// billing workflow the threshold to watch (a `billingMessage` update), then stores the consent:
// if the second step fails, the workflow watches a threshold that buys nothing, never the reverse.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sendBillingMessage } from '../../clients/billing';
import { autoTopUpPacks, monthlyCapLimits, thresholdLimits } from '../../domain/billing/auto-top-up';
import { assertAutoTopUpPossible, autoTopUpView, disableAutoTopUp, enableAutoTopUp } from '../../domain/billing/auto-top-up-settings';
import { AutoTopUpSetting } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import type { BillingRequest } from '../../workflows/billing/messages';
import { actorOf } from '../audit';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

/** A message that changes no Stripe object: the workflow answers at once unless it is busy. */
const verdictWaitMs = 10_000;

const autoTopUpSchema = z
  .object({
    enabled: z.boolean(),
    packId: z.enum(autoTopUpPacks).nullable().meta({ description: 'The pack bought each time; null until first set.' }),
    thresholdTokens: z.number().int().positive().nullable().meta({ description: 'Buy when the balance falls below this many tokens.' }),
    monthlyCap: z.number().int().positive().nullable().meta({ description: 'At most this many purchases per calendar month (UTC).' }),
    usedThisMonth: z.number().int().nonnegative().meta({ description: 'Purchases auto top-up made this calendar month (UTC), failed ones not counted.' }),
    consentText: z.string().meta({ description: 'The wording an admin agrees to when turning auto top-up on.' }),
    consentVersion: z.string().meta({ description: 'The version of that wording; a consent records the version it was given to.' }),
    consentedAt: z.string().nullable(),
    consentedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
    paymentMethod: z.string().nullable().meta({ description: 'The saved card the consent names, e.g. "Visa ending 4242".' }),
    disabledReason: z.string().nullable().meta({ description: 'Why the product turned it off (the card was declined twice); null when an admin did, or it is on.' }),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'AutoTopUp' });

const putBody = z
  .object({
    enabled: z.boolean(),
    packId: z.enum(autoTopUpPacks).optional(),
    thresholdTokens: z.number().int().min(thresholdLimits.min).max(thresholdLimits.max).optional(),
    monthlyCap: z.number().int().min(monthlyCapLimits.min).max(monthlyCapLimits.max).optional(),
    consent: z.boolean().optional().meta({ description: 'Must be true to turn auto top-up on: the admin agrees to `consentText`.' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.enabled) return;
    for (const key of ['packId', 'thresholdTokens', 'monthlyCap'] as const) {
      if (b[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'Required to turn auto top-up on.' });
    }
    if (b.consent !== true) ctx.addIssue({ code: 'custom', path: ['consent'], message: 'Agree to the auto top-up terms to turn it on.' });
  });

async function tellBillingWorkflow(deps: Deps, customerId: string, request: Extract<BillingRequest, { kind: 'auto-top-up' }>): Promise<void> {
  const message = { id: `auto-top-up:${customerId}:${randomUUID()}`, request };
  try {
    await deps.temporal.connection.withDeadline(Date.now() + verdictWaitMs, () => sendBillingMessage(deps.temporal, deps.config, customerId, message));
  } catch (err) {
    deps.logger.warn({ err, customerId }, 'auto top-up not handed to the billing workflow');
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new AppError('SERVICE_UNAVAILABLE', 'Billing for this brand is paused by support. Try again later or contact support.');
    throw new AppError('SERVICE_UNAVAILABLE', 'Billing did not answer in time. Try again in a moment.');
  }
}

export const autoTopUpRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/billing/auto-top-up',
    summary: "The brand's auto top-up: pack, threshold, monthly cap and this month's count, the consent, and why it was turned off",
    tag: 'billing',
    access: 'read',
    responses: {
      200: { description: 'The settings (defaults while never set)', schema: autoTopUpSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      ctx.body = await autoTopUpView(deps.orm.em.fork(), customerIdOf(ctx), new Date());
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/billing/auto-top-up',
    summary: 'Turns auto top-up on (with the consent, the pack, the threshold and a monthly cap) or off (admin only)',
    tag: 'billing',
    access: 'administer',
    body: putBody,
    responses: {
      200: { description: 'The settings now', schema: autoTopUpSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'AUTO_TOP_UP_NO_PLAN (no current plan), AUTO_TOP_UP_UNLIMITED (an unlimited plan), NO_PAYMENT_METHOD (Stripe holds no saved card); field `body.enabled`', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: `body.consent` not true, or a pack, threshold (1–1,000,000) or cap (1–20) missing or out of range when turning on', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: billing did not answer in time, or support has paused it', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const audit = { actor: actorOf(ctx), requestId: ctx.state.requestId };
      if (body.enabled) {
        const card = await assertAutoTopUpPossible(em, deps.stripe, customerId);
        await tellBillingWorkflow(deps, customerId, { kind: 'auto-top-up', enabled: true, thresholdTokens: body.thresholdTokens! });
        await enableAutoTopUp(em, customerId, { packId: body.packId!, thresholdTokens: body.thresholdTokens!, monthlyCap: body.monthlyCap!, card, userId: ctx.state.auth!.id }, audit, new Date());
      } else if (await em.findOne(AutoTopUpSetting, { customer: customerId })) {
        await tellBillingWorkflow(deps, customerId, { kind: 'auto-top-up', enabled: false, thresholdTokens: null });
        await disableAutoTopUp(em, customerId, null, audit, new Date());
      }
      ctx.body = await autoTopUpView(deps.orm.em.fork(), customerId, new Date());
    },
  }),
];
