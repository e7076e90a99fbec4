/**
 * @jest-environment node
 */
// The operator console end to end, against the real routes and the real billing workflow: an
// operator finds a brand by its admin's email, opens it and credits 100 tokens for a service
// issue, and the balance the page shows moves by exactly that; a brand admin is shown none of
// the console, and the API refuses every console route to them with 403.
// Needs GET /api/operator/brands(/{id}) (console-api) and POST …/adjustments (money-ops).
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import { expectAccessible } from '../support/axe';
import { subscribe } from '../support/billing';
import { usePortal } from '../support/browser';
import { signUp, uniqueEmail } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(90_000);

const WAIT = { timeout: 20_000 };

let smtp: TestSmtp;
let billingWorker: TestWorker;
beforeAll(async () => {
  // The billing workflow mails notices (the adjustment's among them): a listening SMTP server.
  smtp = await startSmtp();
  billingWorker = await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url });
});
afterAll(async () => {
  await billingWorker?.stop();
  await smtp?.close();
});

const portal = usePortal(() => ({ SMTP_URL: smtp.url }));
let page: Page;
beforeEach(() => {
  page = portal.page();
});

/** A brand of its own on Starter, paid through a test checkout: 1,000 allowance tokens. */
async function starterBrand() {
  const brandName = `Console Optics ${Date.now().toString(36)}`;
  const email = uniqueEmail('console-admin');
  const { session, user, password } = await signUp(portal.api().url, { brandName, email });
  await subscribe(session, 'starter');
  return { brandName, email, password, customerId: user.customerId as string, session };
}

describe('the operator console', () => {
  it('finds a brand by its admin’s email, opens it and credits 100 tokens for a service issue; the balance moves by 100', async () => {
    const brand = await starterBrand();
    await portal.logIn('operator@varai.test', 'varai-demo-2026');
    await page.getByTestId('user-email').waitFor(WAIT);

    await page.getByRole('link', { name: 'Brands', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Brands' }).waitFor(WAIT);
    await page.getByLabel('Search brands', { exact: true }).fill(brand.email);
    // The unfiltered list may hold the brand already: wait for the search's own answer.
    await page.getByText(`1 brand matches “${brand.email}”.`).waitFor(WAIT);
    const row = page.locator(`[data-testid="brand-row"][data-customer-id="${brand.customerId}"]`);
    expect(await page.getByTestId('brand-row').count()).toBe(1);
    expect(await row.getByTestId('brand-balance').textContent()).toBe('1,000');
    await expectAccessible(page);

    await row.getByRole('link', { name: 'Open', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: brand.brandName }).waitFor(WAIT);
    await page.getByTestId('brand-balance').filter({ hasText: '1,000' }).waitFor(WAIT);

    await page.getByRole('button', { name: 'Adjust tokens', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Adjust tokens' });
    await dialog.getByLabel('Tokens', { exact: true }).fill('100');
    await dialog.getByLabel('Reason', { exact: true }).selectOption('service_issue');
    await dialog.getByRole('button', { name: 'Apply adjustment' }).click();

    await page.getByText(`Credited 100 tokens to ${brand.brandName}. Balance now: 1,100.`).waitFor(WAIT);
    await page.getByTestId('brand-balance').filter({ hasText: '1,100' }).waitFor(WAIT);
    await page.locator('[data-testid="ledger-row"][data-kind="adjustment"]').first().waitFor(WAIT);
    await expectAccessible(page);

    // The brand's own balance agrees.
    const own = await brand.session.get('/api/usage/balance');
    expect(own.body.ledgerAvailableTokens).toBe(1100);
  });

  it('shows a brand admin none of the console, and the API refuses them every console route with 403', async () => {
    const brand = await starterBrand();
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    const nav = page.getByRole('navigation', { name: 'Portal' });
    await nav.getByRole('link', { name: 'Apps', exact: true }).waitFor(WAIT);
    for (const name of ['Overview', 'Brands', 'Metrics', 'Alerts', 'Flags']) expect(await nav.getByRole('link', { name, exact: true }).count()).toBe(0);

    // An operator's link opened by a brand admin shows their own home, not the console.
    for (const hash of ['#/operator-brands', `#/operator-brands/${brand.customerId}`, '#/operator-metrics']) {
      await page.goto(`/${hash}`);
      await page.getByRole('heading', { level: 1, name: 'Apps' }).waitFor(WAIT);
    }

    const base = `/api/operator/brands/${brand.customerId}`;
    const answers = {
      list: (await brand.session.get(`/api/operator/brands?q=${encodeURIComponent(brand.email)}`)).status,
      one: (await brand.session.get(base)).status,
      metrics: (await brand.session.get('/api/operator/metrics')).status,
      adjust: (await brand.session.post(`${base}/adjustments`, { tokens: 100, reasonCode: 'service_issue' })).status,
      refund: (await brand.session.post(`${base}/refunds`, { kind: 'invoice', id: 'in_x', reason: 'x' })).status,
      grace: (await brand.session.post(`${base}/grace`, { days: 3, reason: 'x' })).status,
      suspension: (await brand.session.post(`${base}/suspension`, { action: 'suspend', reason: 'x' })).status,
    };
    expect(answers).toEqual({ list: 403, one: 403, metrics: 403, adjust: 403, refund: 403, grace: 403, suspension: 403 });
  });
});
