/**
 * @jest-environment node
 */
// The marketplace's whole journey in one browser, as a new brand takes it: sign up, choose a plan
// and pay its checkout in test mode, find an app, activate it, configure it (one refused value
// first), roll back, allow the storefront and copy the snippet, and see the demo storefront
// answer with the saved configuration and the portal see its first call. It counts the clicks and
// seconds from sign-up to the first widget call and prints them (the issue asks for both).
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(120_000);

const WAIT = { timeout: 20_000 };

const portal = usePortal();
let api: TestApi;
let page: Page;
let smtp: TestSmtp;
let workers: TestWorker[] = [];

beforeAll(async () => {
  api = portal.api();
  smtp = await startSmtp();
  workers = await Promise.all([taskQueues.billing, taskQueues.activations].map((queue) => startTestWorker(queue, { SMTP_URL: smtp.url })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await smtp?.close();
});

beforeEach(() => {
  page = portal.page();
});

describe('a new brand, from sign-up to a live widget, in the browser', () => {
  it('signs up, pays, activates, configures, rolls back, embeds and sees the first storefront call', async () => {
    let clicks = 0;
    const click = async (locator: ReturnType<Page['getByRole']>) => {
      clicks += 1;
      await locator.click(WAIT);
    };
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const email = `journey-${Date.now()}@brand.test`;

    await page.goto('/');
    await click(button('Create an account'));
    await page.getByLabel('Brand name').fill('Journey Optics');
    await page.getByLabel('Your name').fill('Jo Journey');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('journey-password-1');
    const started = Date.now();
    await click(button('Create account'));

    // The checklist follows the brand's real state from its first screen.
    const checklist = page.getByTestId('onboarding');
    await checklist.waitFor(WAIT);
    await click(page.getByRole('link', { name: 'Choose a plan in Billing' }));
    await click(page.locator('[data-testid="plan-option"][data-plan="starter"]').getByRole('button', { name: 'Choose Starter' }));
    await click(page.getByTestId('checkout-panel').getByRole('button', { name: 'Complete test payment' }));
    await page.getByTestId('current-plan').filter({ hasText: 'Starter' }).waitFor(WAIT);

    await click(page.getByRole('link', { name: 'Apps', exact: true }));
    await page.getByRole('searchbox', { name: 'Search apps' }).or(page.getByRole('textbox', { name: 'Search apps' })).fill('pupillary');
    await click(page.getByRole('link', { name: 'PD Calculator', exact: true }));
    await page.getByRole('heading', { level: 1, name: 'PD Calculator' }).waitFor(WAIT);

    await click(button('Activate'));
    await page.locator('.activation [data-status="active"]').waitFor(WAIT);

    // One value the API refuses, shown at its field; nothing saved.
    const buttonText = page.getByLabel('Button text', { exact: true });
    await buttonText.fill('   ');
    await click(button('Save configuration'));
    await page.getByText('Use 1 to 40 characters.').first().waitFor(WAIT);
    expect(await buttonText.getAttribute('aria-invalid')).toBe('true');

    await buttonText.fill('Measure your PD');
    await page.getByRole('textbox', { name: /why/i }).fill('Our wording');
    await click(button('Save configuration'));
    // Version 1 is the defaults the activation stored.
    await page.getByRole('heading', { name: 'Version 2', exact: true }).waitFor(WAIT);
    await buttonText.fill('Measure PD now');
    await click(button('Save configuration'));
    await page.getByRole('heading', { name: 'Version 3', exact: true }).waitFor(WAIT);
    await click(button('Roll back to version 2'));
    await page.getByRole('heading', { name: 'Version 4', exact: true }).waitFor(WAIT);
    expect(await buttonText.inputValue()).toBe('Measure your PD');

    // The storefront is the demo page on the API's own origin: allow it on the widget key.
    await page.getByLabel('Storefront origin').fill(api.url);
    await click(button('Allow this origin'));
    const snippet = page.getByTestId('embed-snippet');
    await snippet.waitFor(WAIT);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await click(button('Copy'));
    const key = /data-varai-key="([^"]+)"/.exec((await snippet.textContent()) ?? '')?.[1];
    expect(key).toMatch(/^vpk_live_/);
    await page.getByText('Waiting for the first call from your storefront…').waitFor(WAIT);

    // The storefront in a tab of its own: the widget draws the saved configuration and is used once.
    const shop = await page.context().newPage();
    await shop.goto(`/demo/storefront?key=${encodeURIComponent(key!)}&app=pd-calculator&input=example`);
    await click(shop.getByRole('button', { name: 'Measure your PD', exact: true }));
    await shop.getByText('Your pupillary distance: 63 mm').waitFor(WAIT);

    await page.locator('[data-first-call]:not([data-first-call=""])').waitFor(WAIT);
    const seconds = (Date.now() - started) / 1000;
    expect(await page.locator('[data-first-call]').textContent()).toContain(`from ${api.url}`);

    // Every step done: the checklist is gone from the apps page.
    await click(page.getByRole('link', { name: 'Apps', exact: true }));
    await page.getByRole('heading', { name: 'Apps', exact: true }).waitFor(WAIT);
    await page.getByTestId('app-card').first().waitFor(WAIT);
    expect(await checklist.count()).toBe(0);

    console.log(`journey: sign-up to first widget call in ${clicks} clicks and ${seconds.toFixed(1)} s`);
  });
});
