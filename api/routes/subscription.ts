// The brand's subscription: choose a plan (checkout, upgrade now, downgrade at the period end),
// cancel and resume at the period end, and usage alert thresholds. Each request is one
// `billingMessage` update to the brand's billing workflow, by update-with-start, and the answer
// is the workflow's verdict. The optional Idempotency-Key makes a retried request a no-op.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { BillingRequest } from '../../workflows/billing/messages';
import type { Deps } from '../deps';
import { auditRoute } from '../audit';
import { askBillingWorkflow, idempotencyHeaders } from '../billing-message';
import { billingReturnUrl } from '../billing-return';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const verdictSchema = z
  .object({
    outcome: z
      .enum(['checkout', 'started', 'upgraded', 'downgrade-scheduled', 'updated', 'unchanged', 'cancel-scheduled', 'resumed', 'thresholds-set'])
      .meta({ description: 'A request repeated with its Idempotency-Key gets the first verdict again, and changes nothing.' }),
    checkoutUrl: z.string().optional().meta({ description: 'With `checkout`: send the browser here to subscribe.' }),
    details: z.string().meta({ description: 'The billing state afterwards, in plain words.' }),
  })
  .meta({ id: 'BillingVerdict' });

const refusals = { 409: { description: 'BILLING_CHANGE_REFUSED, with the reason (e.g. an unpaid invoice, or Stripe refused)', schema: errorSchema } };

/** What the portal asks for; the other requests come from Stripe and the workflows. */
type PortalRequest = Extract<BillingRequest, { kind: 'choose-plan' | 'cancel' | 'resume' | 'set-alert-thresholds' }>;

const auditActions: Record<PortalRequest['kind'], string> = {
  'choose-plan': 'billing.plan_chosen',
  cancel: 'billing.cancel_requested',
  resume: 'billing.resume_requested',
  'set-alert-thresholds': 'billing.alerts_changed',
};

function auditDetails(request: PortalRequest): Record<string, unknown> {
  if (request.kind === 'choose-plan') return { plan: request.plan };
  if (request.kind === 'set-alert-thresholds') return { thresholds: request.thresholds };
  return {};
}

async function send(ctx: AppContext, deps: Deps, key: string | undefined, request: PortalRequest): Promise<z.infer<typeof verdictSchema>> {
  const customerId = customerIdOf(ctx);
  // Scoped per brand and kind, so one key reused for another change is not mistaken for a retry.
  const id = `${request.kind}:${customerId}:${key ?? randomUUID()}`;
  const result = await askBillingWorkflow(deps, customerId, { id, request });
  const v = result.verdict;
  if (v.outcome === 'ignored') throw new AppError('BILLING_CHANGE_REFUSED', v.reason, { details: result.details });
  // Once per message id: a retry with the same Idempotency-Key gets the first verdict and no second entry.
  await auditRoute(ctx, deps.orm.em.fork(), { action: auditActions[request.kind], target: { type: 'billing_message', id }, details: { ...auditDetails(request), outcome: v.outcome }, once: true });
  return { outcome: v.outcome, ...(v.outcome === 'checkout' ? { checkoutUrl: v.checkoutUrl } : {}), details: result.details } as z.infer<typeof verdictSchema>;
}

/** Cancel and resume: same shape, one flag at Stripe. */
function periodEndRoute(kind: 'cancel' | 'resume', summary: string) {
  return defineRoute({
    method: 'post',
    path: `/api/billing/subscription/${kind}`,
    summary,
    tag: 'billing',
    access: 'administer',
    headers: idempotencyHeaders,
    responses: {
      200: { description: 'The verdict', schema: verdictSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      ...refusals,
      503: { description: 'SERVICE_UNAVAILABLE: billing did not answer in time, or support has paused it', schema: errorSchema },
    },
    async handler(ctx, { headers }, deps) {
      ctx.body = await send(ctx, deps, headers['idempotency-key'], { kind });
    },
  });
}

export const subscriptionRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/billing/subscription',
    summary:
      'Chooses a plan. Without a subscription: answers a Stripe Checkout URL. A higher plan: upgrades now, prorated, and raises the allowance. A lower plan: downgrades at the period end (admin only)',
    tag: 'billing',
    access: 'administer',
    headers: idempotencyHeaders,
    body: z.object({ plan: z.enum(['starter', 'professional', 'enterprise']) }).strict(),
    responses: {
      200: { description: 'The verdict', schema: verdictSchema },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      ...refusals,
      422: { description: 'VALIDATION_FAILED (an unknown plan)', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: billing did not answer in time (retry with the same key), or support has paused it', schema: errorSchema },
    },
    async handler(ctx, { body, headers }, deps) {
      ctx.body = await send(ctx, deps, headers['idempotency-key'], { kind: 'choose-plan', plan: body.plan, returnUrl: billingReturnUrl(deps.config) });
    },
  }),
  periodEndRoute('cancel', 'Cancels the subscription at the period end; the plan and its allowance last until then (admin only)'),
  periodEndRoute('resume', 'Withdraws a pending cancel (admin only)'),
  defineRoute({
    method: 'put',
    path: '/api/billing/alerts',
    summary: "Sets the usage alert thresholds, in percent of the cycle's available tokens; each alerts once per cycle (admin only)",
    tag: 'billing',
    access: 'administer',
    body: z
      .object({
        thresholds: z
          .array(z.number().int().min(1).max(100))
          .min(1)
          .max(10)
          .refine((t) => new Set(t).size === t.length, 'each threshold once'),
      })
      .strict(),
    responses: {
      200: { description: 'The thresholds now in force, ascending', schema: z.object({ thresholds: z.array(z.number().int()), details: z.string() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: thresholds are 1–10 distinct whole percentages 1–100', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: billing did not answer in time, or support has paused it', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const { details } = await send(ctx, deps, undefined, { kind: 'set-alert-thresholds', thresholds: body.thresholds });
      ctx.body = { thresholds: [...body.thresholds].sort((a, b) => a - b), details };
    },
  }),
];
