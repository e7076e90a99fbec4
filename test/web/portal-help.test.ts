/**
 * @jest-environment node
 */
// The Help menu in the portal's header and the user guides it opens: served by the API as HTML
// under the portal's CSP, readable and accessible at 1280 and 390 px.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { portalCsp } from '../../api/middleware/security-headers';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';

const WAIT = { timeout: 15_000 };
const portal = usePortal();
let page: Page;
const shots = process.env.SCREENSHOT_DIR;

beforeEach(() => {
  page = portal.page();
});

describe('help menu and guides', () => {
  it('opens the Help disclosure from the header and follows a guide link', async () => {
    await portal.logIn('admin@demo.varai.test', 'varai-demo-2026');
    await page.getByTestId('user-email').waitFor(WAIT);
    const help = page.getByRole('button', { name: 'Help' });
    expect(await help.getAttribute('aria-expanded')).toBe('false');
    await help.click();
    expect(await help.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await help.getAttribute('aria-expanded')).toBe('false');
    await help.press('Enter');
    await page.getByRole('link', { name: 'Tokens and billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tokens and billing' }).waitFor(WAIT);
  });

  it.each(['getting-started', 'configure-and-embed', 'tokens-and-billing', 'faq'])('serves the %s guide as HTML under the portal CSP', async (name) => {
    const res = await fetch(`${portal.api().url}/guides/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(portalCsp);
    expect(await res.text()).toMatch(/<h1 id="[a-z-]+">/);
  });

  it('serves the screenshots the guides show, and refuses other names', async () => {
    const shot = await fetch(`${portal.api().url}/guides/screenshots/billing-1280.png`);
    expect(shot.status).toBe(200);
    expect(shot.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${portal.api().url}/guides/screenshots/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${portal.api().url}/guides/no-such-guide`)).status).toBe(404);
  });

  it('shows a guide page with its screenshots, accessible at 1280 and 390 px', async () => {
    await page.goto('/guides/getting-started');
    await page.getByRole('heading', { level: 1, name: 'Getting started' }).waitFor(WAIT);
    const images = page.locator('main img');
    expect(await images.count()).toBeGreaterThan(0);
    // Every screenshot loaded (naturalWidth > 0), so the rewritten paths point at real files.
    await page.locator('main img').last().scrollIntoViewIfNeeded();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      if (shots) await page.screenshot({ path: path.join(shots, `guide-${width}.png`) });
    }
    expect(await page.locator('main img').evaluateAll((els) => els.every((e) => (e as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0))).toBe(true);
  });
});
