/**
 * @jest-environment node
 */
// Not committed: takes the app page's screenshots for docs/screenshots.
import { randomUUID } from 'node:crypto';
import { brandOnPlan } from '../support/brand';
import { usePortal } from '../support/browser';
import { activateApps, consume, grant } from '../support/metering';

jest.setTimeout(120_000);
const portal = usePortal();
const WAIT = { timeout: 15_000 };
const storefront = 'https://shop.example';

async function shoot(name: string, email: string, password: string, slug: string, ready: string, prepare?: () => Promise<void>) {
  for (const [w, h] of [[1280, 900], [390, 844]] as const) {
    const page = portal.page();
    await page.setViewportSize({ width: w, height: h });
    if (w === 1280) {
      await portal.logIn(email, password);
      await page.getByTestId('user-email').waitFor(WAIT);
    }
    await page.goto(`/#/apps/${slug}`);
    await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
    if (prepare && w === 1280) await prepare();
    await page.locator(ready).first().waitFor(WAIT);
    await page.waitForTimeout(600);
    await page.screenshot({ path: `docs/screenshots/app-page-${name}-${w}.png`, fullPage: true });
  }
}

it('takes the screenshots', async () => {
  const api = portal.api();
  const a = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await shoot('inactive', a.email, a.password, 'pd-calculator', 'button:has-text("Activate")');
  await portal.page().context().clearCookies();

  const b = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await shoot('activating', b.email, b.password, 'face-shape-analysis', '[aria-label="Activation steps"]', async () => {
    // No activations worker runs in this file: the run waits, and the page shows it activating.
    await portal.page().getByRole('button', { name: 'Activate', exact: true }).click();
  });
  await portal.page().context().clearCookies();

  const c = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await activateApps(api.deps.orm, api.deps.redis, c.customerId, ['pd-calculator']);
  await grant(api, c.customerId, 1_000);
  const created = await c.admin.post('/api/api-keys', { name: 'Storefront', kind: 'publishable', mode: 'live', allowedOrigins: [storefront] });
  await consume(api, created.body.secret, { app: 'pd-calculator' }, randomUUID(), { origin: storefront });
  await new Promise((r) => setTimeout(r, 500));
  await shoot('active-embed', c.email, c.password, 'pd-calculator', '[data-first-call]:not([data-first-call=""])');
  await portal.page().context().clearCookies();

  const d = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await shoot('requires-plan', d.email, d.password, 'virtual-try-on', 'text=Requires Professional');
});
