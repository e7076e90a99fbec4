/**
 * @jest-environment node
 */
// The operator console's pages against issue 14's route contracts: a real API and a real
// operator login, with the console's own routes answered in the browser from contract-shaped
// fixtures (test/support/operator-contract.ts), so every state is reachable: search as you type
// and on Enter, Load more, the empty and error states, each money dialog with its refusals by
// field, the metrics' charts and their table view; axe at 1280 and 390 px throughout.
// portal-operator-console.test.ts drives the real routes end to end.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { apiError, contractBrand, contractDetail, contractMetrics, serveContract, type ContractBrand, type Request } from '../support/operator-contract';
import { shootBothWidths } from '../support/screenshots';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
/** Set OPERATOR_SCREENSHOTS=1 to write the pages with these figures to docs/screenshots. */
const shotsDir = process.env.OPERATOR_SCREENSHOTS ? path.resolve(__dirname, '../../docs/screenshots') : null;

const portal = usePortal();
let page: Page;
beforeEach(async () => {
  page = portal.page();
  await portal.logIn('operator@varai.test', 'varai-demo-2026');
  await page.getByTestId('user-email').waitFor(WAIT);
});

async function checkBothWidths(): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await expectAccessible(page);
    if (width === 390) expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);
  }
}

/** 120 brands, 50 a page, filtered by name, email, Stripe id or customer id as the contract says. */
function brandList(all: ContractBrand[]) {
  return (req: Request) => {
    if (req.method !== 'GET' || req.path !== '/api/operator/brands') return undefined;
    const q = (req.query.get('q') ?? '').toLowerCase();
    const hits = all.filter((b) => [b.name, b.email, b.stripeCustomerId, b.customerId].some((f) => f?.toLowerCase().includes(q)));
    const from = Number(req.query.get('cursor') ?? 0);
    const limit = Number(req.query.get('limit') ?? 50);
    const next = from + limit < hits.length ? String(from + limit) : null;
    return { status: 200, body: { brands: hits.slice(from, from + limit), nextCursor: next } };
  };
}

describe('the Brands page', () => {
  const all = Array.from({ length: 120 }, (_, i) => contractBrand(i + 1));

  it('lists brands, searches as the operator types (once, after a pause) and on Enter, and loads more with the cursor', async () => {
    const seen = await serveContract(page, brandList(all));
    const nav = page.getByRole('navigation', { name: 'Portal' });
    expect((await nav.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(['Overview', 'Brands', 'Metrics', 'Alerts', 'Flags', 'Apps']);
    await nav.getByRole('link', { name: 'Brands', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Brands' }).waitFor(WAIT);
    await page.getByTestId('brand-row').first().waitFor(WAIT);
    expect(await page.getByTestId('brand-row').count()).toBe(50);
    await checkBothWidths();
    await shootBothWidths(page, shotsDir, 'operator-brands');

    await page.getByRole('button', { name: 'Load more', exact: true }).click();
    await page.getByTestId('brand-row').nth(99).waitFor(WAIT);
    expect(seen.at(-1)!.query.get('cursor')).toBe('50');
    await page.getByRole('button', { name: 'Load more', exact: true }).click();
    await page.getByTestId('brand-row').nth(119).waitFor(WAIT);
    await page.getByRole('button', { name: 'Load more', exact: true }).waitFor({ state: 'detached', ...WAIT });

    const before = seen.length;
    await page.getByLabel('Search brands', { exact: true }).pressSequentially('admin7@', { delay: 30 });
    await page.getByText('1 brand matches “admin7@”.').waitFor(WAIT);
    // Seven keystrokes, one request: the debounce waited for the pause.
    expect(seen.slice(before).map((r) => r.query.get('q'))).toEqual(['admin7@']);
    expect(page.url()).toContain('#/operator-brands?q=admin7%40');

    await page.getByLabel('Search brands', { exact: true }).fill('cus_test12');
    await page.getByLabel('Search brands', { exact: true }).press('Enter');
    await page.getByText('2 brands match “cus_test12”.').waitFor(WAIT);
    const row = page.getByTestId('brand-row').first();
    expect(await row.getByRole('rowheader').textContent()).toBe('Brand 012 Optics');
    expect(await row.getByRole('link', { name: 'Open', exact: true }).getAttribute('href')).toBe(`#/operator-brands/${all[11]!.customerId}`);
    const workflow = row.getByRole('link', { name: 'Billing workflow', exact: true });
    expect(await workflow.getAttribute('target')).toBe('_blank');
    expect(await workflow.getAttribute('href')).toBe(all[11]!.temporalUrl);
  });

  it('shows "Unlimited" for a null balance, and an empty search says what to try', async () => {
    await serveContract(page, brandList([contractBrand(2, { balance: null, plan: 'enterprise' })]));
    await page.goto('/#/operator-brands');
    await page.getByTestId('brand-row').first().waitFor(WAIT);
    expect(await page.getByTestId('brand-balance').textContent()).toBe('Unlimited');
    await page.getByLabel('Search brands', { exact: true }).fill('nobody-like-this');
    await page.getByLabel('Search brands', { exact: true }).press('Enter');
    await page.getByText('No brand matches this search.').waitFor(WAIT);
    await expectAccessible(page);
  });

  it('shows the failure with its reference and a way to retry, never a blank page', async () => {
    let fail = true;
    await serveContract(page, (req) => (fail ? apiError(503, 'SERVICE_UNAVAILABLE', 'A service we depend on is unavailable for a moment.') : brandList(all)(req)));
    await page.goto('/#/operator-brands');
    await page.getByRole('alert').getByText('A service we depend on is unavailable for a moment.').waitFor(WAIT);
    await page.getByText('req-test').waitFor(WAIT);
    await expectAccessible(page);
    fail = false;
    await page.getByRole('button', { name: 'Try again', exact: true }).click();
    await page.getByTestId('brand-row').first().waitFor(WAIT);
  });
});

describe('one brand', () => {
  /** One brand whose balance and status the money routes change, as the workflow would. */
  function oneBrand(over: Partial<ContractBrand> = {}) {
    const brand = contractBrand(1, { plan: 'professional', billingStatus: 'active', balance: 1000, ...over });
    const base = `/api/operator/brands/${brand.customerId}`;
    const answers: Record<string, (req: Request) => { status: number; body: unknown }> = {};
    const handler = (req: Request) => {
      if (req.method === 'GET' && req.path === base) return { status: 200, body: contractDetail(brand) };
      const action = req.path.slice(base.length + 1);
      return req.method === 'POST' && answers[action] ? answers[action]!(req) : undefined;
    };
    return { brand, answers, handler, open: () => page.goto(`/#/operator-brands/${brand.customerId}`) };
  }

  it('adjusts tokens with a reason code and shows the new balance; refusals land on their fields', async () => {
    const b = oneBrand();
    b.answers.adjustments = (req) => {
      const body = req.body as { tokens: number; reasonCode: string; note?: string };
      if (body.tokens < -b.brand.balance!) return apiError(409, 'ADJUSTMENT_EXCEEDS_BALANCE', 'The take-back is larger than what the brand’s grants hold (1,000 tokens).');
      if (body.tokens > 1_000_000) return apiError(422, 'VALIDATION_FAILED', 'The request body is invalid.', [{ path: 'body.tokens', message: 'at most 1000000' }]);
      b.brand.balance = b.brand.balance! + body.tokens;
      return { status: 201, body: { adjustmentId: 'adj-1', tokens: body.tokens, reasonCode: body.reasonCode, note: body.note ?? null, expiresAt: null, balance: b.brand.balance } };
    };
    const seen = await serveContract(page, b.handler);
    await b.open();
    await page.getByRole('heading', { level: 1, name: b.brand.name }).waitFor(WAIT);
    expect(await page.getByTestId('brand-balance').textContent()).toBe('1,000');
    await checkBothWidths();
    await shootBothWidths(page, shotsDir, 'operator-brand', { fullPage: true });

    const dialog = page.getByRole('dialog', { name: 'Adjust tokens' });
    await page.getByRole('button', { name: 'Adjust tokens', exact: true }).click();
    await dialog.getByLabel('Tokens', { exact: true }).fill('-5000');
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();
    await dialog.getByText('The take-back is larger than what the brand’s grants hold (1,000 tokens).').waitFor(WAIT);
    expect(await dialog.getByLabel('Tokens', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Tokens', { exact: true }).fill('2000000');
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();
    await dialog.getByText('at most 1000000').waitFor(WAIT);

    // A take-back cannot expire, and "Other" needs a note: both refused before any request.
    const sent = seen.length;
    await dialog.getByLabel('Tokens', { exact: true }).fill('-10');
    await dialog.getByRole('checkbox', { name: 'Expires at the end of the current cycle' }).check();
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();
    await dialog.getByText('Only a credit can expire: untick the expiry for a take-back.').waitFor(WAIT);
    await dialog.getByRole('checkbox', { name: 'Expires at the end of the current cycle' }).uncheck();
    await dialog.getByLabel('Tokens', { exact: true }).fill('100');
    await dialog.getByLabel('Reason', { exact: true }).selectOption('other');
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();
    await dialog.getByText('A note is required when the reason is “Other”.').waitFor(WAIT);
    expect(seen.length).toBe(sent);
    await expectAccessible(page);
    await shootBothWidths(page, shotsDir, 'operator-adjust');

    await dialog.getByLabel('Reason', { exact: true }).selectOption('service_issue');
    await dialog.getByRole('checkbox', { name: 'Expires at the end of the current cycle' }).check();
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.getByText(`Credited 100 tokens to ${b.brand.name}. Balance now: 1,100.`).waitFor(WAIT);
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await page.getByTestId('brand-balance').filter({ hasText: '1,100' }).waitFor(WAIT);
    const post = seen.filter((r) => r.method === 'POST').at(-1)!;
    expect(post.body).toEqual({ tokens: 100, reasonCode: 'service_issue', expiresAtCycleEnd: true });
  });

  it('is usable from the keyboard: the dialog opens on Enter, Escape closes it and focus returns', async () => {
    const b = oneBrand();
    await serveContract(page, b.handler);
    await b.open();
    const open = page.getByRole('button', { name: 'Adjust tokens', exact: true });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Adjust tokens' });
    await dialog.waitFor(WAIT);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await open.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  });

  it('refunds a pack with a reason, extends a past-due brand’s grace and suspends it', async () => {
    const b = oneBrand({ billingStatus: 'past_due' });
    b.answers.refunds = () => ({ status: 202, body: { refundId: 'r1', amountCents: 1900, status: 'pending' } });
    b.answers.grace = () => ({ status: 200, body: { suspendAt: '2026-12-11T00:00:00.000Z' } });
    b.answers.suspension = (req) => {
      b.brand.billingStatus = (req.body as { action: string }).action === 'suspend' ? 'suspended' : 'active';
      return { status: 200, body: { billingStatus: b.brand.billingStatus } };
    };
    const seen = await serveContract(page, b.handler);
    await b.open();
    await page.getByRole('heading', { level: 1, name: b.brand.name }).waitFor(WAIT);

    await page.getByTestId('pack-row').getByRole('button', { name: 'Refund' }).click();
    const refund = page.getByRole('dialog', { name: 'Refund' });
    await refund.getByText('Refund $19 of the tokens_1k pack').waitFor(WAIT);
    await refund.getByRole('button', { name: 'Refund' }).click();
    await refund.getByText('Give a reason: it is kept in the audit log.').waitFor(WAIT);
    await refund.getByLabel('Reason', { exact: true }).fill('Bought twice by mistake');
    await refund.getByRole('button', { name: 'Refund' }).click();
    await page.getByText('Refund of $19 requested (pending).').waitFor(WAIT);
    expect(seen.find((r) => r.path.endsWith('/refunds'))!.body).toEqual({ kind: 'pack', id: 'p1', reason: 'Bought twice by mistake' });

    await page.getByRole('button', { name: 'Extend grace period', exact: true }).click();
    const grace = page.getByRole('dialog', { name: 'Extend grace period' });
    await grace.getByLabel('Days', { exact: true }).fill('14');
    await grace.getByLabel('Reason', { exact: true }).fill('Card replaced, paying Monday');
    await grace.getByRole('button', { name: 'Extend' }).click();
    await page.getByText(/Grace period of .* extended: suspension on Dec 1[01], 2026/).waitFor(WAIT);
    expect(seen.find((r) => r.path.endsWith('/grace'))!.body).toEqual({ days: 14, reason: 'Card replaced, paying Monday' });

    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    const suspend = page.getByRole('dialog', { name: `Suspend ${b.brand.name}` });
    await suspend.getByLabel('Reason', { exact: true }).fill('Chargeback fraud');
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await page.getByText(`${b.brand.name} is now suspended.`).waitFor(WAIT);
    // Reloaded: suspended, so the button offers the way back and grace no longer applies.
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Extend grace period' }).count()).toBe(0);
  });

  it('offers only the actions that apply: no grace unless past due, no suspension once canceled, no adjustment when unlimited; and says when the brand does not exist', async () => {
    const b = oneBrand();
    await serveContract(page, b.handler);
    await b.open();
    await page.getByRole('button', { name: 'Adjust tokens', exact: true }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Extend grace period' }).count()).toBe(0);
    b.brand.billingStatus = 'canceled';
    b.brand.balance = null;
    await page.reload();
    await page.getByTestId('brand-balance').filter({ hasText: 'Unlimited' }).waitFor(WAIT);
    const actions = page.getByRole('group', { name: 'Money actions' });
    expect((await actions.locator('button, a').allTextContents()).map((t) => t.trim())).toEqual(['Billing workflow']);
    await page.goto('/#/operator-brands/00000000-0000-4000-8000-999999999999');
    await page.getByRole('heading', { level: 1, name: 'Brand not found' }).waitFor(WAIT);
  });
});

describe('the Metrics page', () => {
  it('shows the figures with their definitions, the charts as named images with a table view, and the adoption table', async () => {
    await serveContract(page, (req) => (req.path === '/api/operator/metrics' ? { status: 200, body: contractMetrics } : undefined));
    await page.getByRole('link', { name: 'Metrics', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Metrics' }).waitFor(WAIT);
    const mrr = page.getByTestId('metric-mrrCents');
    await mrr.waitFor(WAIT);
    expect(await mrr.textContent()).toContain('$12,345');
    expect(await mrr.textContent()).toContain(contractMetrics.definitions.mrrCents);
    for (const name of [/^MRR movement by month, Jun 2026 to Nov 2026/, /^Pack revenue and refunds by month/, /^Adoption rate by app, by month/]) {
      await page.getByRole('img', { name }).waitFor(WAIT);
    }
    const pd = page.getByTestId('adoption-row').filter({ hasText: 'PD Calculator' });
    expect((await pd.locator('th, td').allTextContents()).map((t) => t.trim())).toEqual(['PD Calculator', '80', '125', '64%']);
    await checkBothWidths();
    await shootBothWidths(page, shotsDir, 'operator-metrics', { fullPage: true });

    const show = page.getByRole('button', { name: 'Show as table' }).first();
    await show.click();
    const table = page.getByRole('region', { name: 'MRR movement by month, as a table' });
    await table.getByRole('row', { name: /Nov 2026/ }).waitFor(WAIT);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Month', 'New', 'Expansion', 'Contraction', 'Churn']);
    await expectAccessible(page);
  });

  it('shows a failure as an alert with a retry, not a blank page', async () => {
    await serveContract(page, () => apiError(404, 'ROUTE_NOT_FOUND', 'No such route.'));
    await page.goto('/#/operator-metrics');
    await page.getByRole('alert').getByText('No such route.').waitFor(WAIT);
    await page.getByRole('button', { name: 'Try again' }).waitFor(WAIT);
  });
});
