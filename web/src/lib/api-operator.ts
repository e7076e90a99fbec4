// The operator console's API calls: the brand list, one brand, its money actions and the revenue
// and adoption metrics. Kept beside api.ts (same transport) so pages built in parallel do not
// edit one table.
//
// The shapes are the route contracts of issue 14 (the routes were built on other branches at the
// same time as these pages). Once those routes are in docs/openapi.json, each interface below can
// become its generated `Ok<'getApiOperatorBrands'>`-style alias (types.ts) with no other change.
import { newIdempotencyKey, once, send } from './api';
import type { Plan } from './operator-format';

export type { Plan };
export const reasonCodes = ['service_issue', 'sales_concession', 'billing_error', 'fraud', 'other'] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export interface BrandSummary {
  customerId: string;
  name: string;
  /** The first admin's. */
  email: string | null;
  stripeCustomerId: string | null;
  plan: Plan | null;
  billingStatus: string | null;
  /** Null: the brand has unlimited tokens. */
  balance: number | null;
  tokensUsedThisCycle: number;
  /** App slugs. */
  activeApps: string[];
  lastActivityAt: string | null;
  /** The brand's billing workflow in Temporal UI; null when no UI is configured. */
  temporalUrl: string | null;
}

export interface BrandPage {
  brands: BrandSummary[];
  nextCursor: string | null;
}

export interface BrandGrant {
  id: string;
  source: string;
  remaining: number;
  expiresAt: string | null;
}

export interface LedgerLine {
  id: string;
  kind: string;
  amountTokens: number;
  reason: string | null;
  actor: string | null;
  createdAt: string;
}

export interface PackPurchase {
  purchaseId: string;
  packId: string;
  tokens: number;
  amountCents: number;
  paidAt: string | null;
  refundedCents: number;
  status: string;
}

export interface PaidInvoice {
  invoiceId: string;
  amountCents: number;
  paidAt: string | null;
  refundedCents: number;
}

export interface BrandDetail extends BrandSummary {
  cycle: { startAt: string; endAt: string } | null;
  pastDueSince: string | null;
  suspendAt: string | null;
  grants: BrandGrant[];
  /** The last 50 entries, newest first. */
  ledger: LedgerLine[];
  packs: PackPurchase[];
  invoices: PaidInvoice[];
}

export interface Adjustment {
  tokens: number;
  reasonCode: ReasonCode;
  /** Required (non-empty) when the reason is `other`. */
  note?: string;
  expiresAtCycleEnd?: boolean;
}

export interface AdjustmentAnswer {
  adjustmentId: string;
  tokens: number;
  reasonCode: ReasonCode;
  note: string | null;
  expiresAt: string | null;
  balance: number | null;
}

export interface Refund {
  kind: 'pack' | 'invoice';
  id: string;
  reason: string;
}

export interface MonthMovement {
  month: string;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  mrrCents: number;
}

export interface Metrics {
  mrrCents: number;
  packRevenueCents: number;
  refundsCents: number;
  arpuCents: number;
  payingBrands: number;
  mrrMovement: MonthMovement[];
  packRevenueByMonth: { month: string; cents: number }[];
  refundsByMonth: { month: string; cents: number }[];
  adoption: { slug: string; name: string; activeBrands: number; eligibleBrands: number; rate: number }[];
  configurationCompletion: { slug: string; activeBrands: number; configuredBrands: number; rate: number }[];
  usagePerActiveApp: { slug: string; uses: number; tokens: number; activeBrands: number; tokensPerActiveBrand: number }[];
  timeToFirstCall: { brands: number; medianHours: number | null; p90Hours: number | null };
  retention: { days: number; cohort: number; retained: number; rate: number }[];
  consumeP95Ms: number | null;
  adoptionByMonth: { month: string; bySlug: Record<string, number> }[];
  /** Figure name → how it is computed, in one sentence. */
  definitions: Record<string, string>;
}

export interface BrandQuery {
  q: string;
  cursor?: string | null;
}

const brandPath = (customerId: string) => `/api/operator/brands/${encodeURIComponent(customerId)}`;

function brandsPath({ q, cursor }: BrandQuery): string {
  const query = new URLSearchParams({ limit: '50' });
  if (q.trim()) query.set('q', q.trim());
  if (cursor) query.set('cursor', cursor);
  return `/api/operator/brands?${query}`;
}

export const operatorApi = {
  brands: (query: BrandQuery) => send<BrandPage>('GET', brandsPath(query)),
  brand: (customerId: string) => send<BrandDetail>('GET', brandPath(customerId)),
  metrics: () => send<Metrics>('GET', '/api/operator/metrics'),
  /** Answers once the billing workflow has applied it; one key per click, so a retry is not a second credit. */
  adjust: (customerId: string, adjustment: Adjustment, idempotencyKey = newIdempotencyKey()) =>
    send<AdjustmentAnswer>('POST', `${brandPath(customerId)}/adjustments`, adjustment, once(idempotencyKey)),
  /** Once per pack or invoice (409 ALREADY_REFUNDED after), so it needs no idempotency key. */
  refund: (customerId: string, refund: Refund) =>
    send<{ refundId: string; amountCents: number; status: string }>('POST', `${brandPath(customerId)}/refunds`, refund),
  extendGrace: (customerId: string, days: number, reason: string, idempotencyKey = newIdempotencyKey()) =>
    send<{ suspendAt: string }>('POST', `${brandPath(customerId)}/grace`, { days, reason }, once(idempotencyKey)),
  setSuspension: (customerId: string, action: 'suspend' | 'resume', reason: string, idempotencyKey = newIdempotencyKey()) =>
    send<{ billingStatus: string }>('POST', `${brandPath(customerId)}/suspension`, { action, reason }, once(idempotencyKey)),
};
