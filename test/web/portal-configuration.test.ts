/**
 * @jest-environment node
 */
// An app's configuration in a real browser: the form generated from the settings schema, the
// live preview of the real widget.js drawing the draft inside its frame, a save with its why, a
// value the API refuses shown next to its field, a keyboard-only save, the history's diffs and a
// roll back, and the widget's own configuration endpoint answering with what was saved.
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { Session, signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';
import { activateApps } from '../support/metering';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

/** Generous for a loaded CI box; every wait still ends well inside the test timeout. */
const WAIT = { timeout: 15_000 };
const SLUG = 'fit-consultation';

/** The browser's globals as these tests use them inside the page (the node side has no DOM types). */
interface InPage {
  getComputedStyle(element: unknown): { backgroundColor: string };
  document: { activeElement: { id: string; textContent: string | null } | null };
  postMessage(message: unknown, targetOrigin: string): void;
}


const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});
beforeEach(() => {
  page = portal.page();
});

/** A brand with fit-consultation active and a secret key to read its widget configuration. */
async function brandWithApp() {
  const { session, user, password } = await signUp(api.url);
  await activateApps(api.deps.orm, api.deps.redis, user.customerId as string, [SLUG]);
  const key = await session.post('/api/api-keys', { name: 'server', appScopes: null });
  if (key.status !== 201) throw new Error(`key creation failed: ${key.status}`);
  return { session, email: user.email as string, password, apiKey: key.body.secret as string };
}

async function openConfiguration(email: string, password: string) {
  await portal.logIn(email, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  await page.goto(`/#/apps/${SLUG}`);
  // Not the "Configuration" heading: the app page may title its own part with the same word.
  await page.getByLabel('Button text', { exact: true }).waitFor(WAIT);
}

const preview = () => page.frameLocator('iframe[title="Widget preview"]');
const saveButton = () => page.getByRole('button', { name: 'Save configuration', exact: true });
const status = (text: string) => page.getByText(text, { exact: false }).first().waitFor(WAIT);

describe('configuring an app in the portal', () => {
  it('previews the draft, saves with a why, shows a refused value at its field, saves by keyboard, rolls back, and the widget reads the result', async () => {
    const brand = await brandWithApp();
    await openConfiguration(brand.email, brand.password);

    // Defaults are shown, with bounds and labels from the schema.
    expect(await page.getByLabel('Fit tolerance (mm)').inputValue()).toBe('2');
    expect(await page.getByLabel('Fit tolerance (mm)').getAttribute('max')).toBe('10');
    await page.getByText('Allowed: 1 to 10. Default: 2.').waitFor(WAIT);

    // The preview runs the real widget with the saved (default) settings, then follows the draft.
    await preview().getByRole('button', { name: 'Check my fit', exact: true }).waitFor(WAIT);
    await page.getByLabel('Button text', { exact: true }).fill('Check the fit now');
    await page.getByLabel('Primary colour', { exact: true }).fill('#ff0000');
    const widgetButton = preview().getByRole('button', { name: 'Check the fit now', exact: true });
    await widgetButton.waitFor(WAIT);
    expect(await waitFor(() => widgetButton.evaluate((b) => (globalThis as unknown as InPage).getComputedStyle(b).backgroundColor), (c) => c === 'rgb(255, 0, 0)', WAIT.timeout)).toBe('rgb(255, 0, 0)');
    // A message that is not from the framing portal page (here the frame's own window) is ignored.
    await page.frame({ url: /\/preview\/widget\// })!.evaluate((app) => {
      (globalThis as unknown as InPage).postMessage({ type: 'varai-preview-config', app, configuration: { buttonText: 'Injected' } }, '*');
    }, SLUG);
    await page.waitForTimeout(300);
    expect(await preview().getByRole('button', { name: 'Injected' }).count()).toBe(0);
    // Clicking the preview never runs the app nor charges a use.
    await widgetButton.click();
    await preview().getByText('Preview: uses are not charged', { exact: false }).waitFor(WAIT);
    expect((await brand.session.get(`/api/apps/${SLUG}/configuration`)).body.version).toBe(0);

    // Save with a why.
    await page.getByRole('textbox', { name: /why/i }).fill('Brand colours');
    await saveButton().click();
    await status('Saved as version 1.');
    const v1 = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Version 1', exact: true }) });
    await v1.getByText('Why: Brand colours').waitFor(WAIT);
    await v1.getByText(brand.email).waitFor(WAIT);

    // A value past the maximum: the form lets it through (the API is the judge), the API refuses it.
    const tolerance = page.getByLabel('Fit tolerance (mm)');
    await tolerance.fill('99');
    await saveButton().click();
    expect(await waitFor(() => tolerance.getAttribute('aria-invalid'), (v) => v === 'true', WAIT.timeout)).toBe('true');
    const errorId = (await tolerance.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(await page.locator(`#${errorId}`).textContent()).toBe('Use 1 to 10.');
    await page.getByText('Nothing was saved: correct the fields marked in red.').waitFor(WAIT);
    expect(await tolerance.evaluate((el) => el === (globalThis as unknown as InPage).document.activeElement)).toBe(true);
    expect((await brand.session.get(`/api/apps/${SLUG}/configuration`)).body.version).toBe(1);

    // Keyboard only: the focus is on the bad field; correct it, Tab to the why and the button, Enter.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)).toBe('configuration-why');
    await page.keyboard.type('Looser fit check');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent?.trim())).toBe('Save configuration');
    await page.keyboard.press('Enter');
    await status('Saved as version 2.');
    expect(await tolerance.getAttribute('aria-invalid')).toBeNull();
    const v2 = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Version 2', exact: true }) });
    await v2.getByText('toleranceMm: 2 → 3').waitFor(WAIT);
    await v2.getByText('Why: Looser fit check').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Roll back to version 2' }).count()).toBe(0);

    await expectAccessible(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Roll back to version 1: a new version 3 equal to it, and the history refreshes.
    await page.getByRole('button', { name: 'Roll back to version 1', exact: true }).click();
    const v3 = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Version 3', exact: true }) });
    await v3.getByText('Why: rollback to v1').waitFor(WAIT);
    await v3.getByText('toleranceMm: 3 → 2').waitFor(WAIT);
    expect(await tolerance.inputValue()).toBe('2');
    const read = (await brand.session.get(`/api/apps/${SLUG}/configuration`)).body;
    expect(read.version).toBe(3);
    expect(read.configuration).toEqual(read.history.find((h: { version: number }) => h.version === 1).configuration);

    // The storefront's widget reads what was saved.
    const widgetConfig = await fetch(`${api.url}/v1/widget-config/${SLUG}`, { headers: { authorization: `Bearer ${brand.apiKey}` } });
    expect(widgetConfig.status).toBe(200);
    expect(((await widgetConfig.json()) as { configuration: unknown }).configuration).toMatchObject({ buttonText: 'Check the fit now', theme: { primary: '#ff0000' }, toleranceMm: 2 });
  });

  it('shows a viewer the form and history read-only: no Save, no Roll back', async () => {
    const brand = await brandWithApp();
    await brand.session.post(`/api/apps/${SLUG}/configuration/versions`, { configuration: { buttonText: 'One' }, why: 'first' });
    await brand.session.post(`/api/apps/${SLUG}/configuration/versions`, { configuration: { buttonText: 'Two' }, why: 'second' });
    const viewer = { email: uniqueEmail('viewer'), name: 'Vic Viewer', role: 'viewer' as const, password: 'long-enough-pw' };
    await addMember(brand.session, viewer);
    expect((await new Session(api.url).post('/api/auth/login', { email: viewer.email, password: viewer.password })).status).toBe(200);

    await openConfiguration(viewer.email, viewer.password);

    expect(await page.getByLabel('Button text', { exact: true }).inputValue()).toBe('Two');
    expect(await page.getByLabel('Button text', { exact: true }).isDisabled()).toBe(true);
    await page.getByText('buttonText: One → Two').waitFor(WAIT);
    await preview().getByRole('button', { name: 'Two', exact: true }).waitFor(WAIT);
    expect(await saveButton().count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Roll back/ }).count()).toBe(0);
    await expectAccessible(page);
  });
});
