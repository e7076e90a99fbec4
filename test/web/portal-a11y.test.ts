/**
 * @jest-environment node
 */
// Every portal page, as each kind of person sees it, at desktop and phone widths: axe-core finds
// no serious or critical violation, and nothing is wider than a 390 px screen. The journeys'
// own files check their pages in their interesting states; this one makes sure no page is missed.
import type { Page } from 'playwright-core';
import { raiseOperatorAlert } from '../../domain/operator/alerts';
import { expectAccessible } from '../support/axe';
import { brandOnPlan } from '../support/brand';
import { usePortal } from '../support/browser';
import { uniqueEmail } from '../support/http';
import { activateApps } from '../support/metering';
import { invitationFor } from '../support/team';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
const DEMO_PASSWORD = 'varai-demo-2026';
const widths = [1280, 390] as const;

const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});

/** Opens each hash at each width, waits for its heading, and checks it. */
async function checkPages(pages: { hash: string; heading: string }[]): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    for (const { hash, heading } of pages) {
      await page.goto(`/${hash}`);
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor(WAIT);
      // Loading states settle first: a spinner's busy region is not what people read.
      await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', ...WAIT }).catch(() => undefined);
      await expectAccessible(page);
      if (width === 390) expect({ hash, width: Number(await page.evaluate('document.documentElement.scrollWidth')) }).toEqual({ hash, width: 390 });
    }
  }
}

describe('every portal page passes axe at 1280 and 390 px', () => {
  it('the login and sign-up forms', async () => {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/');
      await page.getByRole('heading', { name: 'Log in', exact: true }).first().waitFor(WAIT);
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Create an account', exact: true }).click();
      await page.getByRole('heading', { name: 'Create your brand account', exact: true }).waitFor(WAIT);
      await expectAccessible(page);
    }
  });

  it("a brand admin's pages", async () => {
    const brand = await brandOnPlan(portal.api().url, portal.api().deps.orm, 'starter');
    await activateApps(portal.api().deps.orm, portal.api().deps.redis, brand.customerId, ['pd-calculator']);
    // A test key too, so the API keys page shows its sandbox table.
    const key = await brand.admin.post('/api/api-keys', { name: 'Staging', kind: 'publishable', mode: 'test', allowedOrigins: ['https://staging.shop.example'] });
    expect(key.status).toBe(201);
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await checkPages([
      { hash: '#/apps', heading: 'Apps' },
      { hash: '#/apps/pd-calculator', heading: 'PD Calculator' },
      { hash: '#/apps/virtual-try-on', heading: 'Virtual Try-On' },
      { hash: '#/frames', heading: 'Frame catalog' },
      { hash: '#/api-keys', heading: 'API keys' },
      { hash: '#/billing', heading: 'Billing' },
      { hash: '#/usage', heading: 'Usage' },
      { hash: '#/audit', heading: 'Audit log' },
      { hash: '#/notices', heading: 'Notices' },
      { hash: '#/team', heading: 'Team' },
      { hash: '#/account', heading: 'Your account' },
      { hash: '#/preferences', heading: 'Notification settings' },
    ]);
  });

  it("an operator's pages", async () => {
    const brand = await brandOnPlan(portal.api().url, portal.api().deps.orm, 'starter');
    await portal.logIn('operator@varai.test', DEMO_PASSWORD);
    await page.getByTestId('user-email').waitFor(WAIT);
    // An open alert, so the page is checked with its list and Acknowledge button, not empty.
    await raiseOperatorAlert(portal.api().deps.orm, { kind: 'balance-drift', dedupeKey: `a11y:${brand.customerId}`, customerId: brand.customerId, subject: 'Acme Eyewear: cached balance differs from the ledger (+500 tokens)', text: 'The cache held 1500 tokens where the ledger gives 1000.', details: { differenceTokens: 500 } });
    await checkPages([
      { hash: '#/operator', heading: 'Operator overview' },
      { hash: '#/operator-alerts', heading: 'Operator alerts' },
      { hash: '#/operator-flags', heading: 'Feature flags' },
      { hash: '#/operator-brands', heading: 'Brands' },
      { hash: `#/operator-brands/${brand.customerId}`, heading: 'Acme Eyewear' },
      { hash: '#/operator-metrics', heading: 'Metrics' },
      { hash: '#/apps', heading: 'App catalog' },
      { hash: '#/apps/pd-calculator', heading: 'PD Calculator' },
      { hash: '#/account', heading: 'Your account' },
    ]);
  });

  it('the invitation page, logged out, for a usable and an unknown link', async () => {
    const brand = await brandOnPlan(portal.api().url, portal.api().deps.orm, null);
    const token = await invitationFor(portal.api().deps.orm, brand.customerId, uniqueEmail('invitee'), 'manager');
    await checkPages([
      { hash: `#/invite?token=${token}`, heading: 'Join Acme Eyewear' },
      { hash: '#/invite?token=not-a-real-token', heading: 'This invitation cannot be used' },
    ]);
  });
});
