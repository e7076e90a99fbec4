// The operator console's API calls: the brand list, one brand, its money actions and the revenue
// and adoption metrics. Kept beside api.ts (same transport) so pages built in parallel do not
// edit one table. The shapes are generated from the spec (api-schema.d.ts), like types.ts's.
import { newIdempotencyKey, once, send } from './api';
import type { components, operations } from './api-schema';
import type { Body, Ok } from './types';

type Schemas = components['schemas'];

export type BrandSummary = Schemas['OperatorBrand'];
export type BrandPage = Ok<'getApiOperatorBrands'>;
export type BrandDetail = Schemas['OperatorBrandDetail'];
export type BrandGrant = BrandDetail['grants'][number];
export type LedgerLine = BrandDetail['ledger'][number];
export type PackPurchase = BrandDetail['packs'][number];
export type PaidInvoice = BrandDetail['invoices'][number];
export type Metrics = Schemas['OperatorMetrics'];
export type Adjustment = Body<'postApiOperatorBrandsCustomerIdAdjustments'>;
export type AdjustmentAnswer = Schemas['OperatorAdjustment'];
export type ReasonCode = Adjustment['reasonCode'];
export type Refund = Body<'postApiOperatorBrandsCustomerIdRefunds'>;
/** 202, which types.ts's Ok (200 or 201) does not read: Stripe accepted, the clawback follows. */
type RefundAnswer = operations['postApiOperatorBrandsCustomerIdRefunds']['responses'][202]['content']['application/json'];

/** In the order the dialog offers them; `satisfies` fails the build if the API's list changes. */
export const reasonCodes = ['service_issue', 'sales_concession', 'billing_error', 'fraud', 'other'] as const satisfies readonly ReasonCode[];

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
    send<RefundAnswer>('POST', `${brandPath(customerId)}/refunds`, refund),
  extendGrace: (customerId: string, days: number, reason: string, idempotencyKey = newIdempotencyKey()) =>
    send<Ok<'postApiOperatorBrandsCustomerIdGrace'>>('POST', `${brandPath(customerId)}/grace`, { days, reason }, once(idempotencyKey)),
  setSuspension: (customerId: string, action: 'suspend' | 'resume', reason: string, idempotencyKey = newIdempotencyKey()) =>
    send<Ok<'postApiOperatorBrandsCustomerIdSuspension'>>('POST', `${brandPath(customerId)}/suspension`, { action, reason }, once(idempotencyKey)),
};
