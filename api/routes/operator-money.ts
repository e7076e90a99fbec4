// A VARAi operator's money operations on one brand: goodwill adjustments, refunds, a longer
// grace period, suspension by hand. Adjustments, grace and suspension are billing workflow
// requests (workflows/billing/operator-requests.ts), answered once the workflow has applied
// them; a refund is a Stripe refund whose token side is the existing refund handling's. Each is
// audited with the operator as actor, under the brand it concerns.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startTokenPackRefund } from '../../clients/token-packs';
import { adjustmentReasonLabels } from '../../domain/billing/adjustment-rules';
import { refundForOperator } from '../../domain/billing/operator-refunds';
import { Customer, adjustmentReasonCodes } from '../../domain/entities';
import { AppError } from '../../domain/errors';
import type { BillingVerdict, OperatorRequest } from '../../workflows/billing/messages';
import { auditRoute } from '../audit';
import { askBillingWorkflow, idempotencyHeaders } from '../billing-message';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import type { AppContext } from '../state';

const brandParams = z.object({ customerId: z.uuid() });
const reason = z.string().trim().min(1).max(1000).meta({ description: 'Why, in words support and the audit log will read later.' });

const forbidden = { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema };
const notFound = { description: 'NOT_FOUND: no brand has this id (details.field = params.customerId)', schema: errorSchema };
const unavailable = { description: 'SERVICE_UNAVAILABLE: billing did not answer in time (retry with the same Idempotency-Key), or support has paused it', schema: errorSchema };

async function brandOf(deps: Deps, customerId: string): Promise<void> {
  const found = await deps.orm.em.fork().count(Customer, { id: customerId });
  if (!found) throw new AppError('NOT_FOUND', 'No brand has this id.', { field: 'params.customerId', fields: [{ path: 'params.customerId', message: 'no such brand' }] });
}

/**
 * Sends the request and answers its verdict. The message id is scoped per brand and kind, so
 * one Idempotency-Key reused for another operation is not mistaken for a retry; a retry gets the
 * first verdict and writes no second audit entry.
 */
async function ask(ctx: AppContext, deps: Deps, customerId: string, key: string | undefined, request: OperatorRequest, action: string, details: Record<string, unknown>): Promise<BillingVerdict> {
  await brandOf(deps, customerId);
  const id = `${request.kind}:${customerId}:${key ?? randomUUID()}`;
  const { verdict } = await askBillingWorkflow(deps, customerId, { id, request });
  if (verdict.outcome === 'refused') throw new AppError(verdict.code, verdict.reason, verdict.field ? { field: verdict.field, fields: [{ path: verdict.field, message: verdict.reason }] } : undefined);
  if (verdict.outcome === 'ignored') throw new AppError('BILLING_CHANGE_REFUSED', verdict.reason);
  await auditRoute(ctx, deps.orm.em.fork(), { customerId, action, target: { type: 'billing_message', id }, details: { ...details, outcome: verdict.outcome }, once: true });
  return verdict;
}

const adjustmentBody = z
  .object({
    tokens: z
      .number()
      .int()
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .refine((n) => n !== 0, 'not zero: positive credits, negative takes back')
      .meta({ description: 'Positive credits the brand; negative takes back (never more than its grants hold).' }),
    reasonCode: z.enum(adjustmentReasonCodes),
    note: z.string().trim().max(1000).optional().meta({ description: 'Required (non-empty) with reasonCode `other`. The brand sees it in its notice and billing history.' }),
    expiresAtCycleEnd: z.boolean().optional().meta({ description: "A credit only: its tokens expire with the brand's current cycle (409 ADJUSTMENT_NOT_APPLICABLE without one)." }),
  })
  .strict()
  .superRefine((b, issue) => {
    if (b.reasonCode === 'other' && !b.note) issue.addIssue({ code: 'custom', path: ['note'], message: 'a note is required with reasonCode other' });
    if (b.expiresAtCycleEnd && b.tokens < 0) issue.addIssue({ code: 'custom', path: ['expiresAtCycleEnd'], message: 'only a credit expires' });
  });

const adjustmentSchema = z
  .object({
    adjustmentId: z.uuid(),
    tokens: z.number().int(),
    reasonCode: z.enum(adjustmentReasonCodes),
    note: z.string().nullable(),
    expiresAt: z.string().nullable().meta({ description: 'When a credit expires (the cycle end, exclusive); null never.' }),
    balance: z.number().int().nullable().meta({ description: "The brand's usable tokens once applied, pending debits counted; null is unlimited." }),
  })
  .meta({ id: 'OperatorAdjustment' });

export const operatorMoneyRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/operator/brands/:customerId/adjustments',
    summary:
      "Credits tokens to a brand or takes them back, with a reason, through its billing workflow; 201 once applied. A credit is a new grant (optionally expiring at the cycle end); a take-back takes from the grants in burn order and never drives one below zero. The brand gets a notice and sees it in its billing history. Enterprise (unlimited) brands: refused with 409 ADJUSTMENT_NOT_APPLICABLE, as tokens change nothing for them",
    tag: 'operator',
    access: 'operate',
    params: brandParams,
    headers: idempotencyHeaders,
    body: adjustmentBody,
    responses: {
      201: { description: 'Applied (a repeat with the same Idempotency-Key answers the same, and adjusts once)', schema: adjustmentSchema },
      403: forbidden,
      404: notFound,
      409: { description: 'ADJUSTMENT_EXCEEDS_BALANCE (details.field = body.tokens): the take-back is more than the grants hold, and nothing changed; ADJUSTMENT_NOT_APPLICABLE: an unlimited plan, or an expiry without a cycle', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED with the field: tokens not a non-zero whole number, an unknown reasonCode, `other` without a note, an expiring take-back', schema: errorSchema },
      503: unavailable,
    },
    async handler(ctx, { params, headers, body }, deps) {
      const note = body.note ? body.note : null;
      const request = { kind: 'adjustment' as const, tokens: body.tokens, reasonCode: body.reasonCode, note, expiresAtCycleEnd: body.expiresAtCycleEnd === true, actorId: ctx.state.auth!.id };
      const verdict = await ask(ctx, deps, params.customerId, headers['idempotency-key'], request, 'billing.adjustment_made', { tokens: body.tokens, reasonCode: body.reasonCode, reason: adjustmentReasonLabels[body.reasonCode], note });
      if (verdict.outcome !== 'adjusted') throw new AppError('BILLING_CHANGE_REFUSED', `Billing answered ${verdict.outcome}.`);
      ctx.status = 201;
      ctx.body = verdict.adjustment;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/operator/brands/:customerId/refunds',
    summary:
      "Refunds a token pack (what is not refunded yet of it) or a paid invoice through Stripe. A pack's unused tokens are then taken back by the same refund handling as Stripe's charge.refunded (exactly the unused share; spent tokens stay spent). Once per pack or invoice",
    tag: 'operator',
    access: 'operate',
    params: brandParams,
    body: z.object({ kind: z.enum(['pack', 'invoice']), id: z.string().trim().min(1).max(255).meta({ description: 'The purchase id of a pack, or the Stripe invoice id (in_…).' }), reason }).strict(),
    responses: {
      202: {
        description: 'Stripe accepted the refund; the token clawback follows in the background',
        schema: z.object({ refundId: z.string().meta({ description: "Stripe's refund id." }), amountCents: z.number().int(), status: z.string().meta({ description: "Stripe's refund status: succeeded, pending…" }) }),
      },
      403: forbidden,
      404: { description: 'NOT_FOUND: no such brand, or no pack or invoice of this brand with this id (details.field = body.id)', schema: errorSchema },
      409: { description: 'ALREADY_REFUNDED: refunded before (from the console or in full at Stripe); NOT_REFUNDABLE: not paid, or Stripe refused', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED with the field', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: Stripe cannot be reached', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      await brandOf(deps, params.customerId);
      const em = deps.orm.em.fork();
      const made = await refundForOperator(em, deps.stripe, { customerId: params.customerId, kind: body.kind, id: body.id, reason: body.reason, actorId: ctx.state.auth!.id });
      if (made.pack) {
        await startTokenPackRefund(deps.temporal, deps.config.temporal.taskQueuePrefix, { ...made.pack, customerId: params.customerId, eventId: made.refundId });
      }
      await auditRoute(ctx, em, { customerId: params.customerId, action: 'billing.refund_issued', target: { type: body.kind === 'pack' ? 'token_pack_purchase' : 'invoice', id: body.id }, details: { refundId: made.refundId, amountCents: made.amountCents, reason: body.reason } });
      ctx.status = 202;
      ctx.body = { refundId: made.refundId, amountCents: made.amountCents, status: made.status };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/operator/brands/:customerId/grace',
    summary: "Gives a past-due brand more days before it is suspended: the billing workflow's suspension timer moves by `days`",
    tag: 'operator',
    access: 'operate',
    params: brandParams,
    headers: idempotencyHeaders,
    body: z.object({ days: z.number().int().min(1).max(30), reason }).strict(),
    responses: {
      200: { description: 'The new moment of suspension', schema: z.object({ suspendAt: z.string() }) },
      403: forbidden,
      404: notFound,
      409: { description: 'BILLING_CHANGE_REFUSED: the brand is not past due', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED with the field (days 1–30, a reason)', schema: errorSchema },
      503: unavailable,
    },
    async handler(ctx, { params, headers, body }, deps) {
      const verdict = await ask(ctx, deps, params.customerId, headers['idempotency-key'], { kind: 'extend-grace', days: body.days, reason: body.reason, actorId: ctx.state.auth!.id }, 'billing.grace_extended', { days: body.days, reason: body.reason });
      if (verdict.outcome !== 'grace-extended') throw new AppError('BILLING_CHANGE_REFUSED', `Billing answered ${verdict.outcome}.`);
      ctx.body = { suspendAt: verdict.suspendAt };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/operator/brands/:customerId/suspension',
    summary:
      "Suspends a brand with a subscription by hand (its widgets' debits are refused with 402 PAYMENT_REQUIRED, as after an unpaid grace period; a paid invoice does not lift it), or resumes a suspended one (active again). Repeating the current state changes nothing",
    tag: 'operator',
    access: 'operate',
    params: brandParams,
    headers: idempotencyHeaders,
    body: z.object({ action: z.enum(['suspend', 'resume']), reason }).strict(),
    responses: {
      200: { description: 'The billing status afterwards', schema: z.object({ billingStatus: z.enum(['active', 'past_due', 'suspended', 'canceled']) }) },
      403: forbidden,
      404: notFound,
      409: { description: 'BILLING_CHANGE_REFUSED: suspending a brand without a subscription', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED with the field', schema: errorSchema },
      503: unavailable,
    },
    async handler(ctx, { params, headers, body }, deps) {
      const kind = body.action === 'suspend' ? 'suspend' : 'unsuspend';
      const verdict = await ask(ctx, deps, params.customerId, headers['idempotency-key'], { kind, reason: body.reason, actorId: ctx.state.auth!.id }, body.action === 'suspend' ? 'billing.suspended_by_operator' : 'billing.resumed_by_operator', { reason: body.reason });
      if (verdict.outcome !== 'status-set') throw new AppError('BILLING_CHANGE_REFUSED', `Billing answered ${verdict.outcome}.`);
      ctx.body = { billingStatus: verdict.status as 'active' | 'past_due' | 'suspended' | 'canceled' };
    },
  }),
];
