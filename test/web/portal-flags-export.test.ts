/**
 * @jest-environment node
 */
// In a real browser: an operator creates a feature flag on the Flags page and kills it; a brand
// admin downloads the brand's data from the Account page, which managers and viewers do not see.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../domain/catalog/demo';
import { brandOnPlan, memberOf } from '../support/brand';
import { usePortal } from '../support/browser';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});

const key = `web.flag-${process.pid}`;
// Here, not in an afterAll: usePortal's own closes the API first.
afterEach(async () => {
  await portal.api().deps.orm.em.getConnection().execute('delete from feature_flags where key = ?', [key]);
});

describe('the Flags page', () => {
  it('creates a feature flag from the form, then kills it with one click', async () => {
    await portal.logIn('operator@varai.test', demoPassword);
    await page.getByRole('link', { name: 'Flags', exact: true }).click();
    await page.getByRole('heading', { name: 'Feature flags', level: 1 }).waitFor(WAIT);
    await page.getByLabel('Key').fill(key);
    await page.getByLabel('Controls').selectOption('feature');
    await page.getByLabel('Feature name').fill(`pilot-${process.pid}`);
    await page.getByLabel('Rolled out to (% of brands)').fill('20');
    await page.getByLabel('Note').fill('first fifth');
    await page.getByRole('button', { name: 'Save flag' }).click();
    const row = page.locator(`[data-testid="flag-row"][data-key="${key}"]`);
    await row.getByText('20 %').waitFor(WAIT);
    await row.getByText('Live').waitFor(WAIT);

    await row.getByRole('button', { name: `Kill ${key}` }).click();
    await row.getByText('Killed').waitFor(WAIT);
    const audit = await portal.api().deps.orm.em.getConnection().execute<{ details: { after: { killed: boolean } } }[]>(
      "select details from audit_log where action = 'feature_flag.updated' and target_id = ? order by id",
      [key],
    );
    expect(audit.map((a) => a.details.after.killed)).toEqual([false, true]);
  });
});

describe('Export data on the Account page', () => {
  it('downloads the CSV for an admin, and is not offered to a viewer', async () => {
    const brand = await brandOnPlan(portal.api().url, portal.api().deps.orm, 'starter');
    const viewer = await memberOf(portal.api().url, brand.admin, 'viewer');
    await portal.logIn(brand.email, brand.password);
    await page.goto('/#/account');
    await page.getByRole('heading', { name: 'Export data' }).waitFor(WAIT);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export data (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^varai-export-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('table,record,field,value');
    expect(text).toContain(`staff,1,email,${brand.email}`);

    await page.context().clearCookies();
    await portal.logIn(viewer.email, viewer.password);
    await page.goto('/#/account');
    await page.getByRole('heading', { name: 'Recent sign-ins' }).waitFor(WAIT);
    expect(await page.getByRole('heading', { name: 'Export data' }).count()).toBe(0);
  });
});
