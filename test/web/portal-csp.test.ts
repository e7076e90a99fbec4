/**
 * @jest-environment node
 */
// The built portal runs under its strict Content-Security-Policy: loading, logging in and
// visiting every page must raise no violation in Chromium. Screenshots of the login and billing
// pages at desktop and phone widths go to .data/screenshots for a person to look at.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../scripts/lib/profiles';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';

jest.setTimeout(90_000);

const portal = usePortal();
const shots = path.join(projectRoot, '.data', 'screenshots');

/** Every CSP complaint Chromium makes, from the console and from the page's own violation events. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => seen.push(text));
  // A string, not a function: this file is compiled without the DOM's types.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));",
  });
  return seen;
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the portal under its Content-Security-Policy', () => {
  it('loads, logs in and navigates every page with no CSP violation', async () => {
    const page = portal.page();
    const violations = await watchViolations(page);
    const { user, password } = await signUp(portal.api().url, { brandName: 'Strict Policy Optics' });

    await page.goto('/');
    await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
    await shoot(page, 'login');
    await portal.logIn(user.email, password);
    await page.getByTestId('user-email').waitFor();

    const links = await page.getByRole('navigation', { name: 'Portal' }).getByRole('link').allTextContents();
    expect(links).toContain('Billing');
    for (const label of links) {
      await page.getByRole('link', { name: label, exact: true }).click();
      await page.waitForLoadState('networkidle');
    }
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.getByRole('heading', { name: 'Billing' }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shoot(page, 'billing');

    expect(violations).toEqual([]);
    // The watcher works, and the policy bites: an injected inline style is refused.
    await page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'body { color: red }'");
    await page.waitForTimeout(300);
    expect(violations.some((v) => v.startsWith('style-src'))).toBe(true);
  });
});
