/**
 * @jest-environment node
 */
// The usage and audit pages in a real browser: a brand with reconciled usage sees its totals, a
// chart canvas with an accessible name and its table, changes the range, and downloads the CSV;
// a viewer sees the page without key-level data; an admin filters and pages the audit log and
// exports it; a viewer has no audit log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { recordAudit } from '../../domain/audit/record';
import { expectAccessible } from '../support/axe';
import { brandOnPlan, memberOf } from '../support/brand';
import { usePortal } from '../support/browser';
import { shootBothWidths } from '../support/screenshots';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';

jest.setTimeout(90_000);

const WAIT = { timeout: 15_000 };
/** Set USAGE_SCREENSHOTS=1 to write the pages with figures to docs/screenshots. */
const shotsDir = process.env.USAGE_SCREENSHOTS ? path.resolve(__dirname, '../../docs/screenshots') : null;

const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});

/** Waits until the locator matches exactly n rows (the page's own script may not be eval'd: CSP). */
async function untilRows(rows: Locator, n: number) {
  await rows.nth(n - 1).waitFor(WAIT);
  await rows.nth(n).waitFor({ state: 'detached', ...WAIT });
}

const shoot = (name: string) => shootBothWidths(page, shotsDir, name, { fullPage: true, settleMs: 300 });

/** A brand on Starter with 3 PD Calculator uses and 2 Virtual Try-On uses, reconciled. */
async function brandWithUsage() {
  const api = portal.api();
  const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await activateApps(api.deps.orm, api.deps.redis, brand.customerId, ['pd-calculator', 'virtual-try-on']);
  await grant(api, brand.customerId, 5_000);
  const key = await brand.admin.post('/api/api-keys', { name: 'Storefront' });
  expect(key.status).toBe(201);
  for (const app of ['pd-calculator', 'pd-calculator', 'pd-calculator', 'virtual-try-on', 'virtual-try-on']) {
    expect((await consume(api, key.body.secret, { app })).status).toBe(200);
  }
  await reconcileNow(api, brand.customerId);
  return brand;
}

async function openUsage() {
  await page.getByRole('link', { name: 'Usage', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor(WAIT);
}

describe('the usage page', () => {
  it('shows the totals, a named chart with its table, follows a range change, and exports the CSV', async () => {
    const brand = await brandWithUsage();
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await openUsage();
    await page.getByTestId('usage-uses').filter({ hasText: /^5$/ }).waitFor(WAIT);
    const chart = page.getByRole('img', { name: /^Tokens per day stacked by app/ });
    await chart.waitFor(WAIT);
    expect(await chart.evaluate((el) => el.tagName)).toBe('CANVAS');
    // Each app named with its pattern, most tokens first (Virtual Try-On costs more a use).
    expect(await chart.getAttribute('aria-label')).toMatch(/Virtual Try-On: solid; PD Calculator: diagonal stripes\.$/);
    await page.getByRole('heading', { name: 'By API key' }).waitFor(WAIT);
    await page.getByRole('rowheader', { name: /Storefront/ }).waitFor(WAIT);

    // The table view holds the same figures as the chart.
    await page.getByRole('button', { name: 'Show as table' }).first().click();
    const table = page.getByRole('region', { name: 'Tokens per day by app, as a table' });
    await table.waitFor(WAIT);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Day (UTC)', ...(await appOrder()), 'Total']);

    await page.getByRole('radio', { name: 'Last 7 days' }).check();
    await page.waitForURL(/range=7/, WAIT);
    await untilRows(page.getByRole('region', { name: 'Tokens per day by app, as a table' }).locator('tbody tr'), 7);
    await expectAccessible(page);
    await shoot('usage-data');

    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('bucket_start_utc,app,app_name,mode,uses,tokens,refunded_uses,refunded_tokens,net_tokens');
  });

  it('lets an admin export key-level rows', async () => {
    const brand = await brandWithUsage();
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await openUsage();
    await page.getByLabel('CSV detail').selectOption('key');
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain('level=key');
  });

  it('shows a viewer the figures but no key-level data', async () => {
    const brand = await brandWithUsage();
    const viewer = await memberOf(portal.api().url, brand.admin, 'viewer');
    await portal.logIn(viewer.email, viewer.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await openUsage();
    await page.getByRole('img', { name: /^Tokens per day stacked by app/ }).waitFor(WAIT);
    await page.getByText('Usage by API key is shown to admins only.').waitFor(WAIT);
    expect(await page.getByRole('heading', { name: 'By API key' }).count()).toBe(0);
    expect(await page.getByLabel('CSV detail').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain('level=app');
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
  });

  it('says so when there is no usage yet', async () => {
    const api = portal.api();
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await openUsage();
    await page.getByText('No usage in this range yet.').waitFor(WAIT);
    await page.getByRole('heading', { name: 'Forecast' }).waitFor(WAIT);
    await expectAccessible(page);
  });

  /** The apps in the table's column order: most tokens first, as the API ranks them. */
  async function appOrder(): Promise<string[]> {
    return page.getByRole('list', { name: 'Apps, top of each bar first' }).getByRole('listitem').evaluateAll((items) => items.map((li) => li.textContent!.replace(/\s*\(.*\)\s*$/, '').trim()).reverse());
  }
});

describe('the audit log page', () => {
  it('lists, filters in the hash, pages with Load more and exports the filtered entries', async () => {
    const api = portal.api();
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    const em = api.deps.orm.em.fork();
    for (let i = 0; i < 55; i++) recordAudit(em, { actor: { kind: 'system' }, customerId: brand.customerId, action: 'test.bulk' });
    await em.flush();
    await brand.admin.post('/api/api-keys', { name: 'Storefront' });
    await portal.logIn(brand.email, brand.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(WAIT);
    const rows = page.getByRole('region', { name: 'Audit log entries' }).locator('tbody tr');
    await page.getByRole('cell', { name: /api_key\.created/ }).waitFor(WAIT);
    expect(await rows.count()).toBe(50);
    expect(await rows.first().textContent()).toContain(brand.email);
    expect(await rows.first().textContent()).toMatch(/127\.0\.0\.1/);
    await shoot('audit-data');

    // 55 entries, the sign-up, the login and the key: one more page, the last.
    const total = (await brand.admin.get('/api/audit?limit=200')).body.entries.length;
    expect(total).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await untilRows(rows, total);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByLabel('Action').selectOption('api_key.created');
    await page.waitForURL(/action=api_key\.created/, WAIT);
    await untilRows(rows, 1);
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/api/audit/export.csv?action=api_key.created');
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_kind,actor,actor_email,api_key_prefix,action,target_type,target_id,ip,request_id,details');
    expect(lines).toHaveLength(2);

    // A reload keeps the filter.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(WAIT);
    expect(await page.getByLabel('Action').inputValue()).toBe('api_key.created');
    await expectAccessible(page);
  });

  it('is not a page a viewer can open', async () => {
    const api = portal.api();
    const brand = await brandOnPlan(api.url, api.deps.orm, 'starter');
    const viewer = await memberOf(api.url, brand.admin, 'viewer');
    await portal.logIn(viewer.email, viewer.password);
    await page.getByTestId('user-email').waitFor(WAIT);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto('/#/audit');
    await page.getByRole('heading', { level: 1, name: 'Apps' }).waitFor(WAIT);
  });
});
