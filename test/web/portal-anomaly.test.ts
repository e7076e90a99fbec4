/**
 * @jest-environment node
 */
// The API keys page's anomaly parts in a real browser: an admin turns "pause on unusual usage"
// on, sees a key the watch paused (badge, when, why) and resumes it; a manager sees the choice
// read-only and no Resume button. Accessible at 1280 and 390 px. With ANOMALY_SCREENSHOTS set
// to a folder, it writes api-keys-paused-<width>.png there (the screenshot script cannot pause
// a key: only the anomaly watch does).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
const shots = process.env.ANOMALY_SCREENSHOTS;

const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});

async function brandWithPausedKey() {
  const brand = await signUp(portal.api().url, { brandName: 'Spiky Optics' });
  const created = await brand.session.post('/api/api-keys', { name: 'Storefront', kind: 'publishable', allowedOrigins: ['https://shop.example'] });
  expect(created.status).toBe(201);
  // As the anomaly watch pauses it (test/api/usage-anomaly.test.ts): the portal only shows it.
  await portal.api().deps.orm.em.getConnection().execute(`update api_keys set paused_at = now(), paused_reason = 'Usage spike: 900 uses in the minute from 04:12 UTC (alarm above 120)' where id = ?`, [created.body.apiKey.id]);
  return brand;
}

async function openKeys(email: string, password: string) {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.goto('/#/api-keys');
  await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor(WAIT);
}

describe('anomaly alerts on the API keys page', () => {
  it('lets an admin turn pausing on and resume a paused key', async () => {
    const brand = await brandWithPausedKey();
    await openKeys(brand.user.email, brand.password);
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Storefront' });
    await row.getByTestId('api-key-paused').waitFor(WAIT);
    await row.getByText(/Usage spike: 900 uses in the minute from 04:12 UTC/).waitFor(WAIT);

    const choice = page.getByLabel('Pause the key as well, until an admin resumes it');
    expect(await choice.isChecked()).toBe(false);
    await choice.check();
    await page.getByText('Saved: a key with unusual usage will be paused.').waitFor(WAIT);
    expect((await brand.session.get('/api/anomaly-settings')).body).toEqual({ pauseKeysOnAnomaly: true });

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
    }
    if (shots) {
      // The keys and the choice, not the creation form above them: scrolled there at each width.
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.getByRole('heading', { name: 'Your keys', level: 2 }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: path.join(shots, `api-keys-paused-${width}.png`) });
      }
    }

    await row.getByRole('button', { name: 'Resume', exact: true }).click();
    await row.getByText('Active', { exact: true }).waitFor(WAIT);
    expect(await row.getByTestId('api-key-paused').count()).toBe(0);
  });

  it('shows a manager the choice read-only, and no Resume button', async () => {
    const brand = await brandWithPausedKey();
    const manager = { email: uniqueEmail('manager'), name: 'Max Manager', password: 'manager-password', role: 'manager' as const };
    await addMember(brand.session, manager);
    await openKeys(manager.email, manager.password);
    await page.getByTestId('api-key-paused').waitFor(WAIT);
    await page.getByTestId('anomaly-choice').getByText('Keys keep working on unusual usage; admins are told.').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
  });
});
