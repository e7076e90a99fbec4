/**
 * @jest-environment node
 */
// The billing page in a real browser against the real API and billing workflow: choosing a plan,
// paying its checkout in test mode, upgrading, buying a token pack, the alert thresholds' field
// errors (the API's and the browser's own check), and what a viewer may not do.
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { applyAdjustment } from '../../domain/billing/adjustments';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(60_000);

/** Generous for a loaded CI box; every wait still ends well inside the test timeout. */
const WAIT = { timeout: 15_000 };
const DEMO_PASSWORD = 'varai-demo-2026';

const portal = usePortal();
let api: TestApi;
let page: Page;
let smtp: TestSmtp;
let billingWorker: TestWorker;
let packWorker: TestWorker;

beforeAll(async () => {
  api = portal.api();
  // The billing workflow mails notices; a listening SMTP server keeps its activities from retrying.
  smtp = await startSmtp();
  billingWorker = await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url });
  packWorker = await startTestWorker(taskQueues.tokenPacks, { SMTP_URL: smtp.url });
});

afterAll(async () => {
  // Together: a pack worker's report to the billing workflow needs the billing worker.
  await Promise.all([billingWorker?.stop(), packWorker?.stop()]);
  await smtp?.close();
});

beforeEach(() => {
  page = portal.page();
});

/** A brand of its own, with no plan yet, its admin on the billing page. */
async function openBillingAsNewAdmin(): Promise<void> {
  const { user, password } = await signUp(api.url);
  await portal.logIn(user.email as string, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.getByRole('link', { name: 'Billing', exact: true }).click();
  await page.getByTestId('current-plan').waitFor(WAIT);
}

const planOption = (plan: string) => page.locator(`[data-testid="plan-option"][data-plan="${plan}"]`);
const shows = (testId: string, text: string) => page.getByTestId(testId).filter({ hasText: text }).waitFor(WAIT);

describe('portal billing', () => {
  it('subscribes to Starter through a test checkout, then upgrades to Professional', async () => {
    await openBillingAsNewAdmin();
    expect(await page.getByTestId('current-plan').textContent()).toBe('No plan');

    await planOption('starter').getByRole('button', { name: 'Choose Starter' }).click();
    const checkout = page.getByTestId('checkout-panel');
    await checkout.waitFor(WAIT);
    expect(await checkout.getByRole('link', { name: 'Pay at Stripe' }).getAttribute('href')).toMatch(/^https?:\/\//);
    await checkout.getByRole('button', { name: 'Complete test payment' }).click();

    await shows('current-plan', 'Starter');
    await shows('allowance-tokens', '1,000 tokens');
    await checkout.waitFor({ state: 'detached', ...WAIT });
    expect(await page.getByTestId('billing-status').textContent()).toBe('Active');
    expect(await planOption('starter').getByRole('button', { name: 'Current Starter' }).isDisabled()).toBe(true);

    await planOption('professional').getByRole('button', { name: 'Upgrade Professional' }).click();

    await shows('current-plan', 'Professional');
    await shows('allowance-tokens', '10,000 tokens');
    expect(await planOption('starter').getByRole('button', { name: 'Downgrade Starter' }).count()).toBe(1);
  });

  it('buys a token pack through a test checkout and shows its tokens', async () => {
    await openBillingAsNewAdmin();
    await shows('pack-tokens', '0 tokens');

    await page.getByRole('button', { name: 'Buy 1,000 tokens' }).click();
    const checkout = page.getByTestId('checkout-panel');
    await checkout.getByRole('button', { name: 'Complete test payment' }).click();

    await shows('pack-tokens', '1,000 tokens');
    await page.getByText('Payment received: 1,000 tokens added.').waitFor(WAIT);
  });

  it('shows the API field error next to an alert threshold it refuses', async () => {
    await openBillingAsNewAdmin();
    const field = page.getByLabel('Alert thresholds (%)');

    await field.fill('50, 150');
    await page.getByRole('button', { name: 'Save alerts' }).click();

    await page.locator('input[name="thresholds"][aria-invalid="true"]').waitFor(WAIT);
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toContain('100');
  });

  it('refuses alert thresholds that are not whole numbers without asking the API', async () => {
    await openBillingAsNewAdmin();
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/billing/alerts')) sent.push(request.method());
    });

    await page.getByLabel('Alert thresholds (%)').fill('fifty');
    await page.getByRole('button', { name: 'Save alerts' }).click();

    await page.getByText('Enter whole numbers separated by commas, e.g. 50, 80, 100.').waitFor(WAIT);
    await expect(page.locator('input[name="thresholds"]').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(sent).toEqual([]);
  });

  it('shows a viewer the plan but none of the buttons that change it', async () => {
    await portal.logIn('viewer@demo.varai.test', DEMO_PASSWORD);
    await page.getByTestId('user-email').waitFor(WAIT);
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.getByTestId('current-plan').waitFor(WAIT);

    await page.getByText('Only admins can change the plan').waitFor(WAIT);
    expect(await page.getByTestId('plan-option').count()).toBe(3);
    expect(await page.getByTestId('plan-option').getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('token-pack').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save alerts' }).count()).toBe(0);
  });

  it('lists the tokens VARAi credited and took back, with the reason, accessibly at both widths', async () => {
    const { user, password } = await signUp(api.url);
    const customerId = user.customerId as string;
    const adjust = (tokens: number, reasonCode: 'service_issue' | 'billing_error', note: string | null) =>
      applyAdjustment(api.deps.orm, api.deps.redis, { customerId, messageId: `test:${tokens}`, tokens, reasonCode, note, expiresAt: null, actorId: user.id as string });
    await adjust(250, 'service_issue', 'outage on the 3rd');
    await adjust(-50, 'billing_error', null);
    await portal.logIn(user.email as string, password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.getByRole('heading', { name: 'Adjustments by VARAi' }).waitFor(WAIT);
    const rows = await page.getByTestId('adjustment-row').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows.join(' | ')).toContain('+250 tokensService issue: outage on the 3rd');
    expect(rows.join(' | ')).toContain('−50 tokensBilling error');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
    }
  });
});
