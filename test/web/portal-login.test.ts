/**
 * @jest-environment node
 */
// The portal in a real browser against the real API, which serves the built portal from web/dist.
import type { Page } from 'playwright-core';
import { usePortal } from '../support/browser';
import { withCatalogLock } from '../support/catalog-lock';

jest.setTimeout(60_000);

const DEMO_ADMIN = { email: 'admin@demo.varai.test', password: 'varai-demo-2026' };

const portal = usePortal();
let page: Page;
beforeEach(() => {
  page = portal.page();
});
const logIn = portal.logIn;

const loginHeading = () => page.getByRole('heading', { name: 'Log in', exact: true });
const appCards = () => page.getByTestId('app-card');
const card = (slug: string) => page.locator(`[data-testid="app-card"][data-slug="${slug}"]`);

describe('portal login', () => {
  it('shows the demo admin the ten catalog apps with their token costs', async () => {
    // Shared: test/api/apps.test.ts puts a catalog app in beta for a moment, under the exclusive lock.
    await withCatalogLock('shared', async () => {
      await logIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
      await appCards().first().waitFor();
      expect(await appCards().count()).toBe(10);
    });
    expect(await card('virtual-try-on').textContent()).toContain('5 tokens per use');
    expect(await card('pd-calculator').textContent()).toContain('1 token per use');
    expect(await page.getByTestId('user-email').textContent()).toBe(DEMO_ADMIN.email);
  });

  it('shows the API error and stays on the login page when the password is wrong', async () => {
    await logIn(DEMO_ADMIN.email, 'not-the-password');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Invalid email or password');
    expect(await loginHeading().isVisible()).toBe(true);
    expect(await appCards().count()).toBe(0);
  });

  it('returns to the login page and forgets the session after logging out', async () => {
    await logIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
    await appCards().first().waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await loginHeading().waitFor();

    // A reload asks the API again, so this fails if the server-side session survived.
    await page.reload();
    await loginHeading().waitFor();
    expect(await appCards().count()).toBe(0);
  });
});
