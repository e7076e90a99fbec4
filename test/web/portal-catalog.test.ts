/**
 * @jest-environment node
 */
// The apps page in a real browser against the real API: search as you type, the category, plan
// and activation filters (also keyboard-only, and kept across a reload), each card's brand state,
// the onboarding checklist following the brand's real state, the out-of-tokens banner, and the
// operator's landing page; axe-core on each page at 1280 and 390 px.
import type { Locator, Page } from 'playwright-core';
import type { TestApi } from '../support/api-server';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { withCatalogLock } from '../support/catalog-lock';
import { signUp, type Session } from '../support/http';
import { publishBalance } from '../../domain/metering/publish';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';
import { putOnPlan } from '../support/brand';

jest.setTimeout(60_000);

const WAIT = { timeout: 15_000 };
const DEMO_PASSWORD = 'varai-demo-2026';
/** The four apps Starter includes. */
const STARTER_APPS = ['eyewear-recommendations', 'face-shape-analysis', 'frame-finder', 'pd-calculator'];

const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});
beforeEach(() => {
  page = portal.page();
});

const sql = (query: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute(query, params);


/** What the reconciler process does after each batch: write it, then publish the balance to the portal. */
async function reconciled(customerId: string) {
  await reconcileNow(api, customerId);
  await publishBalance(api.deps.orm, api.deps.redis, customerId);
}

interface Brand {
  customerId: string;
  session: Session;
  email: string;
  password: string;
}

async function starterBrand(): Promise<Brand> {
  const { session, user, password } = await signUp(api.url);
  const customerId = user.customerId as string;
  await putOnPlan(api.deps.orm, customerId, 'starter');
  return { customerId, session, email: user.email as string, password };
}

async function openApps(brand: { email: string; password: string }, hash = '') {
  await portal.logIn(brand.email, brand.password);
  await page.getByTestId('user-email').waitFor(WAIT);
  if (hash) {
    await page.goto(`/${hash}`);
    await page.reload();
  }
  await cards().first().waitFor(WAIT);
}

const cards = () => page.getByTestId('app-card');
const card = (slug: string) => page.locator(`[data-testid="app-card"][data-slug="${slug}"]`);
const shownSlugs = async () => (await cards().evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')))).sort();
const search = () => page.getByRole('searchbox', { name: 'Search apps' });
const countShows = (text: string) => page.getByTestId('app-count').filter({ hasText: text }).waitFor(WAIT);
const focused = (loc: Locator) => loc.evaluate((el) => el === el.ownerDocument.activeElement);
/** The page's full width: wider than the window means sideways scrolling. */
const pageWidth = () => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
/** Hash navigation fires no load event: wait for the hash itself. */
const hashIs = (hash: string) => page.waitForFunction((h) => (globalThis as unknown as { location: { hash: string } }).location.hash === h, hash, WAIT);
const stepDone = (key: string) => page.locator(`[data-testid="onboarding-step"][data-step="${key}"]`).getAttribute('data-done');

describe('the apps page', () => {
  it('filters by name and description as you type, announces the count, and keeps the search across a reload', async () => {
    const brand = await starterBrand();
    await withCatalogLock('shared', async () => {
      await openApps(brand);
      await countShows('10 apps');
      await search().pressSequentially('try');
      await countShows('2 apps of 10');
      expect(await shownSlugs()).toEqual(['contact-lens-try-on', 'virtual-try-on']);
      // A word of a description only.
      await search().fill('pupillary');
      await countShows('1 app of 10');
      expect(await shownSlugs()).toEqual(['pd-calculator']);
      expect(await page.getByTestId('app-count').getAttribute('aria-live')).toBe('polite');

      expect(page.url()).toContain('#/apps?q=pupillary');
      await page.reload();
      await countShows('1 app of 10');
      expect(await search().inputValue()).toBe('pupillary');
    });
  });

  it('never writes its filters over a link away that the route has not yet heard of', async () => {
    const brand = await starterBrand();
    await openApps(brand);
    await search().fill('try');
    await countShows('2 apps of 10');
    // The hash moves on a task before its hashchange is handled (a click or goto on a busy machine);
    // a filter effect running in between used to rewrite it back to #/apps?q=… and strand the route.
    await page.evaluate(() => {
      const w = globalThis as unknown as { history: { replaceState(s: unknown, t: string, u: string): void; state: unknown } };
      w.history.replaceState(w.history.state, '', '#/apps/pd-calculator');
    });
    await search().fill('pupillary');
    await countShows('1 app of 10');
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/apps/pd-calculator');
    await page.evaluate(() => (globalThis as unknown as { dispatchEvent(e: Event): boolean }).dispatchEvent(new Event('hashchange')));
    await page.getByRole('heading', { level: 1, name: 'PD Calculator' }).waitFor(WAIT);
  });

  it('filters by category, by plan and by activation, and clears an empty result', async () => {
    const brand = await starterBrand();
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['frame-finder']);
    await withCatalogLock('shared', async () => {
      await openApps(brand);
      await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Try-on' });
      expect(await shownSlugs()).toEqual(['contact-lens-try-on', 'virtual-try-on']);

      await page.getByRole('checkbox', { name: 'Included in my plan' }).check();
      await page.getByTestId('no-apps').waitFor(WAIT);
      await countShows('0 apps of 10');
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await countShows('10 apps');
      expect(await page.getByRole('combobox', { name: 'Category' }).inputValue()).toBe('');

      await page.getByRole('checkbox', { name: 'Included in my plan' }).check();
      expect(await shownSlugs()).toEqual(STARTER_APPS);
      await page.getByRole('checkbox', { name: 'Active for my brand' }).check();
      expect(await shownSlugs()).toEqual(['frame-finder']);
      expect(page.url()).toContain('included=1');
      expect(page.url()).toContain('active=1');
    });
  });

  it('works from the keyboard alone: Tab to the search, type, pick a category and tick a filter', async () => {
    const brand = await starterBrand();
    await openApps(brand);
    // Tab from the top of the document until the search box has focus, as a keyboard user would.
    for (let i = 0; i < 30 && !(await focused(search())); i++) await page.keyboard.press('Tab');
    expect(await focused(search())).toBe(true);
    await page.keyboard.type('finder');
    await countShows('1 app of 10');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await countShows('10 apps');

    await page.keyboard.press('Tab');
    expect(await focused(page.getByRole('combobox', { name: 'Category' }))).toBe(true);
    // A focused <select> changes with the arrow keys without opening: All → Try-on (the first category, by name order).
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('combobox', { name: 'Category' }).inputValue()).not.toBe('');
    await page.keyboard.press('ArrowUp');
    expect(await page.getByRole('combobox', { name: 'Category' }).inputValue()).toBe('');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Included in my plan' }).isChecked()).toBe(true);
    expect(await shownSlugs()).toEqual(STARTER_APPS);

    // Tab on to the first card's link, and Enter opens the app's page.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await hashIs(`#/apps/${STARTER_APPS[0]}`);
  });

  it('shows on each card the brand’s activation, the plan an app needs, and links to the app’s page', async () => {
    const brand = await starterBrand();
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['frame-finder'], 'failed');
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['face-shape-analysis'], 'activating');
    await openApps(brand);

    const state = (slug: string) => card(slug).getByTestId('activation-state').textContent();
    expect(await state('pd-calculator')).toBe('Active');
    expect(await state('frame-finder')).toBe('Failed');
    expect(await state('face-shape-analysis')).toBe('Activating');
    expect(await state('eyewear-recommendations')).toBe('Not active');
    // The catalog's own `active` is no news: no second badge.
    expect(await card('pd-calculator').locator('.badge').count()).toBe(1);

    expect(await card('virtual-try-on').getByTestId('required-plan').textContent()).toBe('Requires Professional');
    expect(await card('pd-calculator').getByTestId('required-plan').count()).toBe(0);
    expect(await card('virtual-try-on').textContent()).toContain('5 tokens per use');

    await card('virtual-try-on').getByRole('link', { name: 'Virtual Try-On' }).click();
    await hashIs('#/apps/virtual-try-on');
  });

  it('passes axe-core at 1280 and 390 px, with the checklist and with filters applied', async () => {
    const { user, password } = await signUp(api.url);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await openApps({ email: user.email, password }, '#/apps?q=try&category=try-on');
      await page.getByTestId('onboarding').waitFor(WAIT);
      await countShows('2 apps of 10');
      await expectAccessible(page);
      // Nothing wider than the window: the page works at 390 px without sideways scrolling.
      expect(await pageWidth()).toBeLessThanOrEqual(width);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    }
  });
});

describe('the onboarding checklist', () => {
  it('follows the brand’s real state step by step, linking to where each is done, and disappears once all are', async () => {
    const { session, user, password } = await signUp(api.url);
    const customerId = user.customerId as string;
    await openApps({ email: user.email, password });
    const checklist = page.getByTestId('onboarding');
    await checklist.waitFor(WAIT);
    expect(await page.getByTestId('onboarding-progress').textContent()).toBe('0 of 5 done');
    expect(await checklist.getByRole('link', { name: 'Choose a plan in Billing' }).getAttribute('href')).toBe('#/billing');

    await putOnPlan(api.deps.orm, customerId, 'starter');
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator']);
    await sql("update customer_apps set activated_at = now() where customer_id = ? and status = 'active'", [customerId]);
    await page.reload();
    await page.getByTestId('onboarding-progress').filter({ hasText: '2 of 5 done' }).waitFor(WAIT);
    expect(await stepDone('choose_plan')).toBe('true');
    expect(await stepDone('activate_app')).toBe('true');
    expect(await stepDone('configure_app')).toBe('false');
    expect(await checklist.getByRole('link', { name: 'Configure PD Calculator' }).getAttribute('href')).toBe('#/apps/pd-calculator');

    expect((await session.put('/api/apps/pd-calculator/configuration', { buttonText: 'Measure me' })).status).toBe(200);
    expect((await session.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' })).status).toBe(204);
    await page.reload();
    await page.getByTestId('onboarding-progress').filter({ hasText: '4 of 5 done' }).waitFor(WAIT);
    expect(await stepDone('first_call')).toBe('false');

    // The storefront's first call: the checklist sees it through the live balance, without a reload.
    await grant(api, customerId, 20);
    const origin = 'https://shop.checklist.test';
    const key = await session.post('/api/api-keys', { name: 'storefront', kind: 'publishable', allowedOrigins: [origin] });
    expect((await consume(api, key.body.apiKey.publishableKey, { app: 'pd-calculator' }, undefined, { origin })).status).toBe(200);
    await reconciled(customerId);
    await checklist.waitFor({ state: 'detached', ...WAIT });
  });
});

describe('the out-of-tokens banner', () => {
  it('tells staff on every page that widgets refuse uses, with Buy tokens and, on a limited plan, Upgrade plan', async () => {
    const brand = await starterBrand();
    await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator']);
    await grant(api, brand.customerId, 1);
    await openApps(brand);
    const banner = page.getByTestId('out-of-tokens');
    expect(await banner.count()).toBe(0);

    const key = await brand.session.post('/api/api-keys', { name: 'server' });
    expect((await consume(api, key.body.secret, { app: 'pd-calculator' })).status).toBe(200);
    await reconciled(brand.customerId);
    await banner.waitFor(WAIT);
    expect(await banner.textContent()).toContain('your widgets are refusing uses');
    expect(await banner.getByRole('link', { name: 'Buy tokens' }).getAttribute('href')).toBe('#/billing');
    expect(await banner.getByRole('link', { name: 'Upgrade plan' }).getAttribute('href')).toBe('#/billing');

    await page.getByRole('link', { name: 'Frame catalog', exact: true }).click();
    await hashIs('#/frames');
    expect(await banner.isVisible()).toBe(true);

    await grant(api, brand.customerId, 10);
    await banner.waitFor({ state: 'detached', ...WAIT });
  });
});

describe('the operator landing page', () => {
  it('shows the true brand count, plans, adoption and links, and passes axe-core at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // Counted before the page reads its own: other files sign brands up meanwhile, so the page
      // shows at least as many as this, never fewer.
      const [row] = await sql('select count(*)::int as brands from customers');
      const brands = (row as { brands: number }).brands;
      await portal.logIn('operator@varai.test', DEMO_PASSWORD);
      await page.getByRole('heading', { name: 'Operator overview' }).waitFor(WAIT);
      expect(Number((await page.getByTestId('overview-brands').textContent())!.replace(/,/g, ''))).toBeGreaterThanOrEqual(brands);
      expect(await page.getByTestId('adoption-row').count()).toBe(10);
      expect(await page.getByTestId('plan-row').count()).toBe(4);
      await page.getByTestId('overview-health').waitFor(WAIT);
      expect(await page.getByTestId('temporal-ui-link').getAttribute('href')).toBe(api.deps.config.temporal.uiUrl);
      await expectAccessible(page);
      expect(await pageWidth()).toBeLessThanOrEqual(width);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    }
  });
});
