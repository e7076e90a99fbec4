// The operator console's brands: a searchable list and one brand's billing facts
// (domain/operator/brands.ts, brand-detail.ts). Read-only; the money actions are their own routes.
import { z } from 'zod';
import { billingStatuses, planRank } from '../../domain/billing/vocabulary';
import { grantSources, ledgerKinds, purchaseStatuses } from '../../domain/entities';
import { billingWorkflowUrl, type BrandFacts } from '../../domain/operator/brand-facts';
import { brandDetail, brandLedgerLimit, type BrandDetail } from '../../domain/operator/brand-detail';
import { listBrands } from '../../domain/operator/brands';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const tokens = z.number().int();
const cents = z.number().int().nonnegative();
const iso = z.string().meta({ description: 'ISO 8601' });

const brandSchema = z
  .object({
    customerId: z.uuid(),
    name: z.string(),
    email: z.string().nullable().meta({ description: 'The first admin’s email; null if the brand has no admin left.' }),
    stripeCustomerId: z.string().nullable(),
    plan: z.enum(planRank).nullable().meta({ description: 'Null without a plan.' }),
    billingStatus: z.enum(billingStatuses).nullable().meta({ description: 'Null: the brand has never subscribed.' }),
    balance: tokens.nullable().meta({ description: 'Usable tokens now, from the ledger as the brand’s billing page shows them; null is unlimited.' }),
    tokensUsedThisCycle: tokens.nonnegative().meta({ description: 'Reconciled uses minus refunds since the cycle start (since the start of the UTC month without a cycle).' }),
    activeApps: z.array(z.string()).meta({ description: 'Slugs of the apps active now, alphabetical.' }),
    lastActivityAt: iso.nullable().meta({ description: 'The latest staff login or reconciled use.' }),
    temporalUrl: z.string().nullable().meta({ description: 'Temporal UI listing the brand’s billing workflow runs by CustomerId; null without TEMPORAL_UI_URL.' }),
  })
  .meta({ id: 'OperatorBrand' });

const detailSchema = brandSchema
  .extend({
    cycle: z.object({ startAt: iso, endAt: iso }).nullable().meta({ description: 'End exclusive.' }),
    pastDueSince: iso.nullable(),
    suspendAt: iso.nullable().meta({ description: 'While past due: when the brand is suspended unless it pays (past due since + BILLING_GRACE_PERIOD, moved by any grace extension).' }),
    grants: z.array(z.object({ id: z.uuid(), source: z.enum(grantSources), remaining: tokens.nonnegative(), expiresAt: iso.nullable() })).meta({ description: 'Unexpired grants in burn order.' }),
    ledger: z
      .array(z.object({ id: z.string(), kind: z.enum(ledgerKinds), amountTokens: tokens, reason: z.string().nullable(), actor: z.string().nullable().meta({ description: 'The acting user’s email, if any.' }), createdAt: iso }))
      .meta({ description: `The newest ${brandLedgerLimit} entries, newest first.` }),
    packs: z
      .array(z.object({ purchaseId: z.uuid(), packId: z.string().meta({ description: 'The pack’s lookup key.' }), tokens: tokens.positive(), amountCents: cents, paidAt: iso.nullable(), refundedCents: cents, status: z.enum(purchaseStatuses) }))
      .meta({ description: 'Every pack purchase, newest first.' }),
    invoices: z
      .array(z.object({ invoiceId: z.string(), amountCents: cents, paidAt: iso, refundedCents: cents }))
      .meta({ description: 'Paid invoices as Stripe reported them (invoice.paid), with the refunds charge.refunded reported; newest first.' }),
    adjustments: z
      .array(
        z.object({
          adjustmentId: z.uuid(),
          tokens: z.number().int().meta({ description: 'Positive credited, negative taken back.' }),
          reasonCode: z.string(),
          note: z.string().nullable(),
          reason: z.string().meta({ description: 'The reason in words, with the note after a colon when there is one (as the ledger entry says).' }),
          expiresAt: iso.nullable(),
          actor: z.string().nullable().meta({ description: 'The operator’s email.' }),
          createdAt: iso,
        }),
      )
      .meta({ description: 'The operators’ adjustments (POST …/adjustments), newest first.' }),
  })
  .meta({ id: 'OperatorBrandDetail' });

const listQuery = z.object({
  q: z.string().max(200).optional().meta({ description: 'Matches name, any staff email, Stripe customer id or customer id; case-insensitive, anywhere in the text.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(1000)
    .regex(/^[A-Za-z0-9_-]*$/, 'Use the nextCursor of the previous page.')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page (with the same q); empty or absent for the first page.' }),
});

const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

function brandView(b: BrandFacts, deps: Deps) {
  return {
    customerId: b.customerId,
    name: b.name,
    email: b.email,
    stripeCustomerId: b.stripeCustomerId,
    plan: b.plan,
    billingStatus: b.billingStatus,
    balance: b.balance,
    tokensUsedThisCycle: b.tokensUsedThisCycle,
    activeApps: b.activeApps,
    lastActivityAt: isoOrNull(b.lastActivityAt),
    temporalUrl: billingWorkflowUrl(deps.config.temporal.uiUrl, deps.config.temporal.namespace, b.customerId),
  };
}

function detailView(b: BrandDetail, deps: Deps) {
  return {
    ...brandView(b, deps),
    cycle: b.cycle && { startAt: b.cycle.startAt.toISOString(), endAt: b.cycle.endAt.toISOString() },
    pastDueSince: isoOrNull(b.pastDueSince),
    suspendAt: isoOrNull(b.suspendAt),
    grants: b.grants.map((g) => ({ ...g, expiresAt: isoOrNull(g.expiresAt) })),
    ledger: b.ledger.map((l) => ({ ...l, createdAt: l.createdAt.toISOString() })),
    packs: b.packs.map((p) => ({ ...p, paidAt: isoOrNull(p.paidAt) })),
    invoices: b.invoices.map((i) => ({ ...i, paidAt: i.paidAt.toISOString() })),
    adjustments: b.adjustments.map((a) => ({ ...a, expiresAt: isoOrNull(a.expiresAt), createdAt: a.createdAt.toISOString() })),
  };
}

const forbidden = { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema };

export const operatorBrandRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/operator/brands',
    summary: 'Lists or searches every brand with its plan, billing status, balance and activity (operators)',
    tag: 'operator',
    access: 'operate',
    query: listQuery,
    responses: {
      200: {
        description: 'One page, by name; `nextCursor` is null on the last',
        schema: z.object({ brands: z.array(brandSchema), nextCursor: z.string().nullable() }),
      },
      401: { description: 'UNAUTHENTICATED', schema: errorSchema },
      403: forbidden,
      422: { description: 'VALIDATION_FAILED naming query.q, query.limit or query.cursor', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const page = await listBrands(deps.orm.em.fork(), query, new Date());
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { brands: page.brands.map((b) => brandView(b, deps)), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/operator/brands/:customerId',
    summary: 'One brand’s billing facts: grants, recent ledger, packs, invoices and adjustments (operators)',
    tag: 'operator',
    access: 'operate',
    params: z.object({ customerId: z.uuid() }),
    responses: {
      200: { description: 'The brand', schema: detailSchema },
      401: { description: 'UNAUTHENTICATED', schema: errorSchema },
      403: forbidden,
      404: { description: 'NOT_FOUND: no brand has this id (details.field = params.customerId)', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: customerId is not a UUID', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const brand = await brandDetail(deps.orm.em.fork(), params.customerId, new Date(), deps.config.billing.gracePeriodMs);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = detailView(brand, deps);
    },
  }),
];
