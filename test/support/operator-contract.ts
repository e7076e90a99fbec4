// Answers of the operator console's routes as issue 14's contracts shape them, served to the
// portal in the browser (playwright's page.route) by test/web/portal-operator-pages.test.ts. The
// pages were built while those routes were built on other branches; this pins the portal to the
// contract on its own, and portal-operator-console.test.ts drives the real routes end to end.
import type { Page, Route } from 'playwright-core';

export interface ContractBrand {
  customerId: string;
  name: string;
  email: string | null;
  stripeCustomerId: string | null;
  plan: 'starter' | 'professional' | 'enterprise' | null;
  billingStatus: string | null;
  balance: number | null;
  tokensUsedThisCycle: number;
  activeApps: string[];
  lastActivityAt: string | null;
  temporalUrl: string | null;
}

const statuses = ['active', 'active', 'past_due', 'suspended', 'canceled'] as const;
const plans = ['starter', 'professional', 'enterprise', null] as const;

export function contractBrand(i: number, over: Partial<ContractBrand> = {}): ContractBrand {
  const customerId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    customerId,
    name: `Brand ${String(i).padStart(3, '0')} Optics`,
    email: `admin${i}@brand${i}.example`,
    stripeCustomerId: `cus_test${i}`,
    plan: plans[i % plans.length]!,
    billingStatus: plans[i % plans.length] === null ? null : statuses[i % statuses.length]!,
    balance: plans[i % plans.length] === 'enterprise' ? null : 1000 * i,
    tokensUsedThisCycle: 37 * i,
    activeApps: i % 2 ? ['pd-calculator', 'virtual-try-on'] : [],
    lastActivityAt: i % 3 ? new Date(Date.UTC(2026, 10, 28, 9, i)).toISOString() : null,
    temporalUrl: `http://localhost:8233/namespaces/default/workflows?query=CustomerId%3D%22${customerId}%22`,
    ...over,
  };
}

export function contractDetail(brand: ContractBrand) {
  return {
    ...brand,
    cycle: { startAt: '2026-11-01T00:00:00.000Z', endAt: '2026-12-01T00:00:00.000Z' },
    pastDueSince: brand.billingStatus === 'past_due' ? '2026-11-20T00:00:00.000Z' : null,
    suspendAt: brand.billingStatus === 'past_due' ? '2026-12-04T00:00:00.000Z' : null,
    grants: [
      { id: 'g1', source: 'allowance', remaining: 400, expiresAt: '2026-12-01T00:00:00.000Z' },
      { id: 'g2', source: 'token_pack', remaining: 600, expiresAt: null },
    ],
    ledger: [
      { id: 'l2', kind: 'usage', amountTokens: -12, reason: null, actor: 'system', createdAt: '2026-11-28T10:00:00.000Z' },
      { id: 'l1', kind: 'grant', amountTokens: 1000, reason: 'token pack', actor: 'system', createdAt: '2026-11-02T10:00:00.000Z' },
    ],
    packs: [{ purchaseId: 'p1', packId: 'tokens_1k', tokens: 1000, amountCents: 1900, paidAt: '2026-11-02T10:00:00.000Z', refundedCents: 0, status: 'paid' }],
    invoices: [{ invoiceId: 'in_test_1', amountCents: 4900, paidAt: '2026-11-01T00:05:00.000Z', refundedCents: 0 }],
    adjustments: [],
  };
}

const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

export const contractMetrics = {
  mrrCents: 1_234_500,
  packRevenueCents: 456_700,
  refundsCents: 12_300,
  arpuCents: 9_876,
  payingBrands: 125,
  mrrMovement: months.map((month, i) => ({ month, newCents: 80_000 + i * 20_000, expansionCents: 15_000 * i, contractionCents: 5_000 * (i % 3), churnCents: 10_000 * (i % 2), mrrCents: 900_000 + i * 60_000 })),
  packRevenueByMonth: months.map((month, i) => ({ month, cents: 50_000 + i * 12_000 })),
  refundsByMonth: months.map((month, i) => ({ month, cents: i === 4 ? 12_300 : 0 })),
  adoption: [
    { slug: 'pd-calculator', name: 'PD Calculator', activeBrands: 80, eligibleBrands: 125, rate: 0.64 },
    { slug: 'virtual-try-on', name: 'Virtual Try-On', activeBrands: 30, eligibleBrands: 60, rate: 0.5 },
    { slug: 'frame-finder', name: 'Frame Finder', activeBrands: 0, eligibleBrands: 0, rate: 0 },
  ],
  configurationCompletion: [
    { slug: 'pd-calculator', activeBrands: 80, configuredBrands: 52, rate: 0.65 },
    { slug: 'virtual-try-on', activeBrands: 30, configuredBrands: 12, rate: 0.4 },
  ],
  usagePerActiveApp: [
    { slug: 'pd-calculator', uses: 48_000, tokens: 96_000, activeBrands: 80, tokensPerActiveBrand: 1200 },
    { slug: 'virtual-try-on', uses: 9_000, tokens: 45_000, activeBrands: 30, tokensPerActiveBrand: 1500 },
  ],
  timeToFirstCall: { brands: 110, medianHours: 5.5, p90Hours: 74 },
  retention: [
    { days: 30, cohort: 100, retained: 92, rate: 0.92 },
    { days: 60, cohort: 80, retained: 70, rate: 0.875 },
    { days: 90, cohort: 60, retained: 50, rate: 0.8333 },
  ],
  consumeP95Ms: 42,
  adoptionByMonth: months.map((month, i) => ({ month, bySlug: { 'pd-calculator': 0.4 + i * 0.05, 'virtual-try-on': 0.2 + i * 0.06, 'frame-finder': 0 } })),
  definitions: {
    mrrCents: 'The monthly price of every subscription whose status is active or past due, now.',
    packRevenueCents: 'Every paid token pack’s amount, gross, ever.',
    refundsCents: 'Every refund ever, of packs and invoices.',
    arpuCents: 'MRR divided by the brands paying for a plan.',
    adoption: 'Brands with the app active ÷ brands on a plan that includes it.',
    mrrMovement: 'Each brand’s MRR at each month’s end against the month before: new, expansion, contraction, churn.',
    packRevenueByMonth: 'Gross paid token pack purchases per UTC month of payment.',
    adoptionByMonth: 'Adoption at each month end.',
    retention: 'Brands that first paid at least that long ago, and of them those still paying.',
  },
};

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** What a test answers to one request: a status and JSON body, or undefined for a 404 like the API's. */
export type Handler = (req: Request) => { status: number; body: unknown } | undefined;

/** Serves `/api/operator/brands…` and `/api/operator/metrics` from `handler`, and records every request. */
export async function serveContract(page: Page, handler: Handler): Promise<Request[]> {
  const seen: Request[] = [];
  await page.route(/\/api\/operator\/(brands|metrics)/, async (route: Route) => {
    const r = route.request();
    const url = new URL(r.url());
    const req: Request = { method: r.method(), path: url.pathname, query: url.searchParams, body: r.postData() ? JSON.parse(r.postData()!) : undefined };
    seen.push(req);
    const answer = handler(req) ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found.', requestId: 'req-test' } } };
    await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
  });
  return seen;
}

export const apiError = (status: number, code: string, message: string, fields?: { path: string; message: string }[]) => ({
  status,
  body: { error: { code, message, details: fields ? { fields } : undefined, requestId: 'req-test' } },
});
