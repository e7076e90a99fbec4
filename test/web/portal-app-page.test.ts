/**
 * @jest-environment node
 */
// The app page (#/apps/<slug>) in a real browser against the real API and activation workflow:
// activating with the workflow's steps shown live, a failed provisioning with its reason and
// "Try again", deactivating behind a confirmation, the plan an app needs, a viewer's read-only
// view, the embed snippet with its Copy button and the live first-call check, keyboard-only
// activation, and axe at desktop and phone widths. Frame Finder's provisioning is made to fail.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { taskQueues } from '../../temporal.config';
import type { TestApi } from '../support/api-server';
import { expectAccessible } from '../support/axe';
import { brandOnPlan, memberOf } from '../support/brand';
import { usePortal } from '../support/browser';
import { activateApps, consume, grant } from '../support/metering';
import { startTestWorker, type TestWorker } from '../support/temporal';

jest.setTimeout(60_000);

const WAIT = { timeout: 15_000 };
const failingSlug = 'frame-finder';
const storefront = 'https://shop.example';

const portal = usePortal();
let api: TestApi;
let page: Page;
let worker: TestWorker;

beforeAll(async () => {
  api = portal.api();
  worker = await startTestWorker(taskQueues.activations, { AI_PROVISION_FAIL_SLUGS: failingSlug });
});

afterAll(async () => {
  await worker?.stop();
});

beforeEach(() => {
  page = portal.page();
});

/** Logs in and opens the app's page. */
async function openApp(email: string, password: string, slug: string): Promise<void> {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.goto(`/#/apps/${slug}`);
  // The apps page the login landed on has an h1 too: wait for the app page's own.
  await page.getByRole('heading', { level: 1 }).filter({ hasNotText: /^Apps$/ }).waitFor(WAIT);
}

async function starterAdminOn(slug: string) {
  const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await openApp(brand.email, brand.password, slug);
  return brand;
}

const statusLine = () => page.locator('.activation [role="status"][data-status]');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const stepStates = () => page.locator('[aria-label="Activation steps"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state')));

describe('the app page', () => {
  it('shows the app: name as the heading, description, cost, what it is good for and usage', async () => {
    await starterAdminOn('pd-calculator');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('PD Calculator');
    await page.getByText('Measures pupillary distance in millimetres').first().waitFor(WAIT);
    await page.getByText('1 token per use').waitFor(WAIT);
    expect(await page.getByRole('list', { name: 'What it is good for' }).locator('li').count()).toBeGreaterThanOrEqual(2);
    await page.getByText('Uses, last 30 days').waitFor(WAIT);
    expect(await page.getByRole('link', { name: '← All apps' }).getAttribute('href')).toBe('#/apps');
  });

  it('activates with the workflow’s steps shown live until it reads Active', async () => {
    await starterAdminOn('pd-calculator');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(page);
    const seen = new Set<string>();
    await button('Activate').click();
    // Every poll redraws the list: record what it showed on the way.
    const until = Date.now() + 15_000;
    while (Date.now() < until && (await statusLine().getAttribute('data-status')) !== 'active') {
      seen.add((await stepStates()).join(','));
      await page.waitForTimeout(50);
    }
    expect(await statusLine().textContent()).toContain('Active');
    expect(await stepStates()).toEqual(['done', 'done', 'done', 'done']);
    expect([...seen].some((s) => s.includes('running') || s.includes('pending'))).toBe(true);
    await button('Deactivate').waitFor(WAIT);
    expect(await button('Activate').count()).toBe(0);
    await expectAccessible(page);
  });

  it('shows the reason of a failed activation, and Try again', async () => {
    await starterAdminOn(failingSlug);
    await button('Activate').click();
    await button('Try again').waitFor(WAIT);
    await page.getByRole('alert').filter({ hasText: `refused to provision ${failingSlug}` }).waitFor(WAIT);
    expect(await statusLine().textContent()).toContain('Activation failed');
    await page.locator('[data-step="provisioning"][data-state="failed"]').waitFor(WAIT);
    await expectAccessible(page);
  });

  it('deactivates after a confirmation that says the widget stops and the configuration is kept', async () => {
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    await openApp(brand.email, brand.password, 'pd-calculator');
    await button('Deactivate').click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate PD Calculator?' });
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toMatch(/widget stops working on your storefront at once.*configuration is kept/s);
    await expectAccessible(page);
    // Cancel closes it and gives focus back to the button that opened it.
    await dialog.getByRole('button', { name: 'Cancel, keep it active' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Deactivate');
    await button('Deactivate').click();
    await dialog.getByRole('button', { name: 'Yes, deactivate' }).click();
    await button('Activate').waitFor(WAIT);
    expect(await statusLine().textContent()).toContain('Not active');
  });

  it('says which plan a Professional app needs, links to Upgrade, and offers no Activate', async () => {
    await starterAdminOn('virtual-try-on');
    await page.getByText('Requires Professional').waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Upgrade', exact: true }).getAttribute('href')).toBe('#/billing');
    expect(await button('Activate').count()).toBe(0);
    // No snippet or key form for an app that could not run.
    expect(await page.getByRole('heading', { name: 'Embed', exact: true }).count()).toBe(0);
    await expectAccessible(page);
  });

  it('shows a viewer the state with no action', async () => {
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    const viewer = await memberOf(api.url, brand.admin, 'viewer');
    await openApp(viewer.email, viewer.password, 'pd-calculator');
    expect(await statusLine().textContent()).toContain('Active');
    await page.getByText('You have read-only access').waitFor(WAIT);
    expect(await page.getByRole('button').filter({ hasText: /^(Activate|Deactivate|Try again|Copy)$/ }).count()).toBe(0);
    await expectAccessible(page);
  });

  it('says so for an app that does not exist, with a way back', async () => {
    await starterAdminOn('no-such-app');
    await page.getByText('No app is called “no-such-app”.').waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Back to the catalog' }).getAttribute('href')).toBe('#/apps');
  });

  it('activates with the keyboard alone', async () => {
    await starterAdminOn('eyewear-recommendations');
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Activate'; i++) {
      await page.keyboard.press('Tab');
      focused = String(await page.evaluate("document.activeElement?.innerText ?? ''"));
    }
    expect(focused).toBe('Activate');
    await page.keyboard.press('Enter');
    await page.locator('.activation [data-status="active"]').waitFor(WAIT);
  });

  it('offers to allow the storefront on the widget key an activation made, then shows its snippet', async () => {
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await openApp(brand.email, brand.password, 'eyewear-recommendations');
    await button('Activate').click();
    await page.locator('.activation [data-status="active"]').waitFor(WAIT);
    await page.getByText('Your “widget” key covers this app but allows no storefront yet').waitFor(WAIT);
    await page.getByLabel('Storefront origin').fill(storefront);
    await button('Allow this origin').click();
    await page.getByTestId('embed-snippet').waitFor(WAIT);
    const widget = ((await brand.admin.get('/api/api-keys')).body.apiKeys as { name: string; publishableKey: string; allowedOrigins: string[] }[]).find((k) => k.name === 'widget')!;
    expect(widget.allowedOrigins).toEqual([storefront]);
    expect(await page.getByTestId('embed-snippet').textContent()).toContain(widget.publishableKey);
  });
});

describe('the Embed panel', () => {
  it('lets an admin allow a storefront, then shows the snippet with the key, copies it, and sees the first call live', async () => {
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    await grant(api, brand.customerId, 1_000);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openApp(brand.email, brand.password, 'pd-calculator');
    await page.getByText('You have no publishable key for this app').waitFor(WAIT);
    await page.getByLabel('Storefront origin').fill(storefront);
    await button('Create key').click();

    const snippet = page.getByTestId('embed-snippet');
    await snippet.waitFor(WAIT);
    const keys = (await brand.admin.get('/api/api-keys')).body.apiKeys as { publishableKey: string | null; mode: string; allowedOrigins: string[] }[];
    const key = keys.find((k) => k.allowedOrigins.includes(storefront))!;
    expect(key.mode).toBe('live');
    const text = (await snippet.textContent())!;
    expect(text).toContain(`data-varai-key="${key.publishableKey}"`);
    expect(text).toContain('data-varai-app="pd-calculator"');

    const copied = page.waitForRequest((r) => r.url().endsWith('/api/onboarding/snippet-copied') && r.method() === 'POST');
    await button('Copy').click();
    expect((await copied).postDataJSON()).toEqual({ slug: 'pd-calculator' });
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(text);

    await page.getByText('Waiting for the first call from your storefront…').waitFor(WAIT);
    await expectAccessible(page);
    expect((await consume(api, key.publishableKey, { app: 'pd-calculator' }, randomUUID(), { origin: storefront })).status).toBe(200);
    await page.locator('[data-first-call]:not([data-first-call=""])').waitFor(WAIT);
    expect(await page.locator('[data-first-call]').textContent()).toMatch(/First call seen at .+ from https:\/\/shop\.example\./);
  });

  it('passes axe at phone width with the embed snippet shown', async () => {
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    await brand.admin.post('/api/api-keys', { name: 'Storefront', kind: 'publishable', mode: 'live', allowedOrigins: [storefront] });
    await page.setViewportSize({ width: 390, height: 844 });
    await openApp(brand.email, brand.password, 'pd-calculator');
    await page.getByTestId('embed-snippet').waitFor(WAIT);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await expectAccessible(page);
  });
});
