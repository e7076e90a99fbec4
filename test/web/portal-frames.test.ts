/**
 * @jest-environment node
 */
// The frame catalog page in a real browser: the sample until an upload, a CSV upload that shows
// its count and table, a bad file whose lines are listed, the reset with its confirmation, a
// viewer who may only read, keyboard-only use, and axe at 1280 and 390 px.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApi } from '../support/api-server';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';

jest.setTimeout(60_000);

const WAIT = { timeout: 15_000 };
/** Set FRAMES_SCREENSHOTS=1 to write the page's pictures to docs/screenshots. */
const shotsDir = process.env.FRAMES_SCREENSHOTS ? path.resolve(__dirname, '../../docs/screenshots') : null;

const header = 'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm,totalWidthMm';
const goodCsv = [header, 'AC-100,Ada Round,round,acetate,black,129.00,49,20,145,132', 'AC-101,Ada Square,square,acetate,tortoise,139,52,18,145,', 'TI-200,Tess Aviator,aviator,titanium,gold,249.50,56,16,140,140'].join('\n');
const badCsv = [header, 'B-1,Bent,hexagon,acetate,black,129.00,49,20,145,', 'B-2,Blue,round,acetate,blue,12.345,49,20,145,'].join('\n');

const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});
beforeEach(() => {
  page = portal.page();
});

const file = (name: string, text: string, mimeType = 'text/csv') => ({ name, mimeType, buffer: Buffer.from(text) });
const uploadInput = () => page.getByLabel('Upload frames');

async function shoot(name: string) {
  if (!shotsDir) return;
  mkdirSync(shotsDir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(shotsDir, `frames-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function openFramesAs(email: string, password: string) {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.getByRole('link', { name: 'Frame catalog' }).click();
  await page.getByRole('heading', { name: 'Frame catalog', level: 1 }).waitFor(WAIT);
}

async function accessibleAtBothWidths() {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expectAccessible(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('frame catalog page', () => {
  it('shows the sample, takes a CSV upload and shows its count and rows, lists a bad file’s lines, and resets', async () => {
    const { user, password } = await signUp(api.url);
    await openFramesAs(user.email, password);
    await page.getByText('frames in the sample catalog').waitFor(WAIT);
    expect(await page.getByTestId('frame-count').textContent()).toBe('243');
    await accessibleAtBothWidths();
    await shoot('sample');

    await uploadInput().setInputFiles(file('frames.csv', goodCsv));
    await page.getByText('frames.csv: 3 frames stored').waitFor(WAIT);
    await page.getByText('frames in your catalog').waitFor(WAIT);
    expect(await page.getByTestId('frame-count').textContent()).toBe('3');
    const rows = page.getByRole('region', { name: /Frames, 1 to 3 of 3/ }).locator('tbody tr');
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('AC-100'), expect.stringContaining('AC-101'), expect.stringContaining('TI-200')]);
    expect(await rows.first().textContent()).toContain('$129.00');
    await accessibleAtBothWidths();
    await shoot('uploaded');

    await uploadInput().setInputFiles(file('broken.csv', badCsv));
    await page.getByRole('alert').filter({ hasText: '2 rows of the upload are invalid; nothing was imported.' }).waitFor(WAIT);
    const issues = page.getByRole('list', { name: 'Rows to fix' }).locator('li');
    expect(await issues.allTextContents()).toEqual([
      expect.stringMatching(/^Line 2 · shape: one of round/),
      expect.stringMatching(/^Line 3 · colour: one of black/),
      expect.stringMatching(/^Line 3 · price: a price like 129/),
    ]);
    expect(await page.getByTestId('frame-count').textContent()).toBe('3'); // nothing half-imported
    await accessibleAtBothWidths();
    await shoot('errors');

    await page.getByRole('button', { name: 'Use the sample catalog' }).click();
    await page.getByText('This deletes your 3 frames.').waitFor(WAIT);
    await page.getByRole('button', { name: 'Keep my frames' }).click();
    expect(await page.getByTestId('frame-count').textContent()).toBe('3');
    await page.getByRole('button', { name: 'Use the sample catalog' }).click();
    await page.getByRole('button', { name: 'Delete my frames' }).click();
    await page.getByText('frames in the sample catalog').waitFor(WAIT);
  });

  it('takes a JSON upload and pages through the sample, with the keyboard only', async () => {
    const { user, password } = await signUp(api.url);
    await openFramesAs(user.email, password);
    await page.getByText('frames in the sample catalog').waitFor(WAIT);

    // Tab to the upload control: it is reachable and named, and its label shows the focus.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await uploadInput().evaluate((el) => el === el.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    const json = JSON.stringify([{ sku: 'J-1', name: 'Jo Square', shape: 'square', material: 'tr90', colour: 'navy', price: 89, lensWidthMm: 52, bridgeMm: 18, templeMm: 140 }]);
    await uploadInput().setInputFiles(file('frames.json', json, 'application/json'));
    await page.getByText('frames.json: 1 frames stored').waitFor(WAIT);

    await page.getByRole('button', { name: 'Use the sample catalog' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Delete my frames' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Frames 1–25 of 243').waitFor(WAIT);
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Frames 26–50 of 243').waitFor(WAIT);
    // The table's region takes the focus, so it scrolls sideways from the keyboard at 390 px.
    await page.setViewportSize({ width: 390, height: 800 });
    const region = page.getByRole('region', { name: /Frames, 26 to 50/ });
    await region.focus();
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await region.evaluate((el) => new Promise<void>((resolve) => (el.scrollLeft > 0 ? resolve() : el.addEventListener('scroll', () => resolve(), { once: true }))));
    expect(await region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });

  it('shows a viewer the catalog without the upload or the reset', async () => {
    const { session } = await signUp(api.url);
    const email = uniqueEmail('viewer');
    await addMember(session, { email, name: 'Vera Viewer', role: 'viewer', password: 'correct-horse-battery' });
    await session.put('/api/frames', goodCsv, { 'content-type': 'text/csv' });
    await openFramesAs(email, 'correct-horse-battery');
    await page.getByText('frames in your catalog').waitFor(WAIT);
    await page.getByText('Only managers and admins can upload or reset the catalog.').waitFor(WAIT);
    expect(await uploadInput().count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Use the sample catalog' }).count()).toBe(0);
    await accessibleAtBothWidths();
  });
});
