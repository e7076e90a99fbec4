/**
 * @jest-environment node
 */
// The live token balance and the API keys page in a real browser against the real API.
import type { Page } from 'playwright-core';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { grant } from '../support/metering';

jest.setTimeout(60_000);

const DEMO_PASSWORD = 'varai-demo-2026';
/** Generous for a loaded CI box; every wait still ends well inside the test timeout. */
const WAIT = { timeout: 15_000 };

const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});
beforeEach(() => {
  page = portal.page();
});

async function logIn(email: string, password: string): Promise<void> {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
}

/** A brand of its own, so no other test's grants or keys show up. */
async function freshBrand() {
  const { user, password } = await signUp(api.url);
  return { customerId: user.customerId as string, email: user.email as string, password };
}

const balance = () => page.getByTestId('token-balance');
const balanceShows = (text: string) => balance().filter({ hasText: text }).waitFor(WAIT);
const apiKeysLink = () => page.getByRole('link', { name: 'API keys', exact: true });
const keyRows = () => page.getByTestId('api-key-row');

describe('portal token balance', () => {
  it('shows the granted balance and updates it live, without a reload, when more tokens arrive', async () => {
    const brand = await freshBrand();
    await grant(api, brand.customerId, 250);
    await logIn(brand.email, brand.password);

    await balanceShows('250 tokens');
    // A reload would start a new document without this mark.
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

    await grant(api, brand.customerId, 100);

    await balanceShows('350 tokens');
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('neither shows a balance nor opens the stream for an operator, who has no brand', async () => {
    const streams: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/usage/stream')) streams.push(req.url());
    });

    await logIn('operator@varai.test', DEMO_PASSWORD);
    // Operators land on their own overview, not the brand apps grid.
    await page.getByRole('link', { name: 'Overview', exact: true }).waitFor(WAIT);

    expect(await balance().count()).toBe(0);
    expect(streams).toEqual([]);
  });
});

describe('portal API keys', () => {
  it('shows a new key secret once, then marks the key revoked', async () => {
    const brand = await freshBrand();
    await logIn(brand.email, brand.password);

    await apiKeysLink().click();
    await page.getByLabel('Key name').fill('Storefront');
    await page.getByRole('radio', { name: /^Secret/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const secretElement = page.getByTestId('api-key-secret');
    await secretElement.waitFor(WAIT);
    const secret = (await secretElement.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^vsk_live_/);
    expect(await page.getByText('It will not be shown again').isVisible()).toBe(true);
    expect(await page.getByTestId('api-key-snippet').textContent()).toContain(`Authorization: Bearer ${secret}`);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await secretElement.waitFor({ state: 'detached', ...WAIT });
    expect(await page.getByText(secret).count()).toBe(0);

    const row = keyRows().filter({ hasText: 'Storefront' });
    expect(await row.getByTestId('api-key-status').textContent()).toContain('Active');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();

    await row.getByTestId('api-key-status').filter({ hasText: 'Revoked' }).waitFor(WAIT);
    expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
  });

  it('shows the API field error next to the key name', async () => {
    const brand = await freshBrand();
    await logIn(brand.email, brand.password);
    await apiKeysLink().click();

    // Spaces pass the browser's `required` check; the API trims them and refuses the empty name.
    await page.getByLabel('Key name').fill('   ');
    await page.getByRole('button', { name: 'Create key' }).click();

    const name = page.getByLabel('Key name');
    await page.locator('input[name="name"][aria-invalid="true"]').waitFor(WAIT);
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toContain('Name the key after where it is used.');
    expect(await keyRows().count()).toBe(0);
  });

  it('hides the API keys page from a viewer, even when linked to directly', async () => {
    await logIn('viewer@demo.varai.test', DEMO_PASSWORD);
    await page.getByTestId('app-card').first().waitFor(WAIT);
    expect(await apiKeysLink().count()).toBe(0);

    await page.goto('/#/api-keys');
    await page.reload();
    await page.getByRole('heading', { name: 'Apps', exact: true }).waitFor(WAIT);
    expect(await page.getByRole('heading', { name: 'API keys' }).count()).toBe(0);
  });
});
