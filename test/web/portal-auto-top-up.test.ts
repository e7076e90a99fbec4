/**
 * @jest-environment node
 */
// The Billing page's auto top-up panel in a real browser against the real API and billing
// workflow: the consent the API insists on, shown next to its checkbox; turning it on shows the
// month's count against the cap; turning it off; a viewer reads it without the form.
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { subscribe } from '../support/billing';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(60_000);

const WAIT = { timeout: 15_000 };

const portal = usePortal();
let api: TestApi;
let page: Page;
let smtp: TestSmtp;
let billingWorker: TestWorker;

beforeAll(async () => {
  api = portal.api();
  smtp = await startSmtp();
  billingWorker = await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url });
});

afterAll(async () => {
  await billingWorker?.stop();
  await smtp?.close();
});

beforeEach(() => {
  page = portal.page();
});

const status = () => page.getByTestId('auto-top-up-status');

describe('the auto top-up panel', () => {
  it('asks for the consent, then turns auto top-up on with the month’s count, and off again', async () => {
    const { session, user, password } = await signUp(api.url);
    await subscribe(session, 'starter');
    await portal.logIn(user.email as string, password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await status().filter({ hasText: 'Off' }).waitFor(WAIT);

    await page.getByLabel('Pack to buy').selectOption('tokens_5k');
    await page.getByLabel('When the balance falls below (tokens)').fill('200');
    await page.getByRole('button', { name: 'Turn on auto top-up' }).click();
    const consent = page.getByRole('checkbox', { name: 'I agree, on behalf of the brand' });
    await page.locator('input[name="consent"][aria-invalid="true"]').waitFor(WAIT);
    const describedBy = (await consent.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('Agree to the auto top-up terms');
    await expect(status().textContent()).resolves.toContain('Off');

    await consent.check();
    await page.getByRole('button', { name: 'Turn on auto top-up' }).click();
    await status().filter({ hasText: 'buys 5,000 tokens' }).waitFor(WAIT);
    expect((await status().textContent())?.replace(/\s+/g, ' ')).toContain('below 200 tokens, at most 3 times a month');
    await page.getByText('0 of 3').waitFor(WAIT);
    // The box starts unticked again: each change is agreed to anew.
    expect(await consent.isChecked()).toBe(false);

    await page.getByRole('button', { name: 'Turn off' }).click();
    await status().filter({ hasText: 'Off' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Turn off' }).count()).toBe(0);
  });

  it('shows a viewer the setting without the form', async () => {
    await portal.logIn('viewer@demo.varai.test', 'varai-demo-2026');
    await page.getByTestId('user-email').waitFor(WAIT);
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await status().waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Turn on auto top-up' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
  });
});
