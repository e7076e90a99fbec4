/**
 * @jest-environment node
 */
// The notices panel in a real browser against the real API and billing workflow: a failed renewal
// payment, simulated from the Billing page's test-mode box, shows the past-due banner and a notice
// with the header's unread badge; marking it read clears the badge; a paid invoice recovers.
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(60_000);

/** Generous for a loaded CI box; every wait still ends well inside the test timeout. */
const WAIT = { timeout: 15_000 };

const portal = usePortal();
let api: TestApi;
let page: Page;
let smtp: TestSmtp;
let billingWorker: TestWorker;
/** The brands this file signed up: their billing workflows (started by the first API message) end with it. */
const customerIds: string[] = [];

beforeAll(async () => {
  api = portal.api();
  // The billing workflow mails notices; a listening SMTP server keeps its activities from retrying.
  smtp = await startSmtp();
  billingWorker = await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url });
});

afterAll(async () => {
  const client = billingWorker?.env.client;
  if (client) {
    await Promise.all(customerIds.map((id) => client.workflow.getHandle(`billing:${id}`).terminate('test file done').catch(() => undefined)));
  }
  await billingWorker?.stop();
  await smtp?.close();
});

beforeEach(() => {
  page = portal.page();
});

const shows = (testId: string, text: string) => page.getByTestId(testId).filter({ hasText: text }).waitFor(WAIT);

/** A brand of its own, its admin on the billing page with the Starter plan paid in test mode. */
async function subscribeToStarterAsNewAdmin(): Promise<void> {
  const { user, password } = await signUp(api.url);
  customerIds.push(user.customerId as string);
  await portal.logIn(user.email as string, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.getByRole('link', { name: 'Billing', exact: true }).click();
  await page.locator('[data-testid="plan-option"][data-plan="starter"]').getByRole('button', { name: 'Choose Starter' }).click();
  await page.getByTestId('checkout-panel').getByRole('button', { name: 'Complete test payment' }).click();
  await shows('billing-status', 'Active');
}

describe('portal notices', () => {
  it('shows a failed renewal payment as a notice with an unread badge, cleared by marking it read', async () => {
    await subscribeToStarterAsNewAdmin();
    const testMode = page.getByTestId('test-mode');

    await testMode.getByRole('button', { name: 'Simulate failed renewal payment' }).click();
    await shows('billing-status', 'Payment due');
    await page.getByText('Your last payment failed').waitFor(WAIT);

    const badge = page.getByTestId('notices-unread');
    await badge.filter({ hasText: '1' }).waitFor(WAIT);
    await page.getByTestId('notices-link').click();
    const failed = page.getByTestId('notice').filter({ hasText: 'Your payment failed' });
    await failed.waitFor(WAIT);
    expect(await failed.getAttribute('data-unread')).toBe('true');
    expect(await failed.getByText('We could not collect your subscription payment').count()).toBe(1);

    await failed.getByRole('button', { name: 'Mark read' }).click();
    await badge.waitFor({ state: 'detached', ...WAIT });
    expect(await failed.getAttribute('data-unread')).toBe('false');
    expect(await failed.getByRole('button', { name: 'Mark read' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.getByTestId('test-mode').getByRole('button', { name: 'Simulate paid invoice' }).click();
    await shows('billing-status', 'Active');
    expect(await page.getByText('Your last payment failed').count()).toBe(0);
  });
});
