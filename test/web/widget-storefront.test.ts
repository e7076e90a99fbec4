/**
 * @jest-environment node
 */
// The embeddable widget in a real browser: a storefront page with the snippet, a click, a paid
// run of pd-calculator, and the portal handing out the snippet.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { currentBalance } from '../../domain/metering/publish';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { signUp } from '../support/http';
import { meteredBrand, type MeteredBrand } from '../support/metering';

jest.setTimeout(60_000);

/** Generous for a loaded CI box; every wait still ends well inside the test timeout. */
const WAIT = { timeout: 15_000 };

const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});
beforeEach(() => {
  page = portal.page();
});

/** The storefront's key: publishable, allowed from the given origins only. */
async function publishableKey(brand: MeteredBrand, allowedOrigins: string[]): Promise<string> {
  const res = await brand.admin.post('/api/api-keys', { name: 'storefront', kind: 'publishable', allowedOrigins }, { origin: api.url });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret;
}

// input=example: these tests are about the widget and its key; the photo flow has widget-photo.test.ts.
const storefrontPath = (key: string) => `/demo/storefront?key=${encodeURIComponent(key)}&app=pd-calculator&input=example`;
const widgetButton = () => page.getByRole('button', { name: 'Measure my PD' });
const availableTokens = async (customerId: string) => (await currentBalance(api.deps.orm, api.deps.redis, customerId)).availableTokens;

describe('storefront widget', () => {
  it('runs pd-calculator from the demo storefront, shows the PD and charges its one token', async () => {
    const brand = await meteredBrand(api, { tokens: 10, apps: ['pd-calculator'] });
    await page.goto(storefrontPath(await publishableKey(brand, [api.url])));

    await widgetButton().click(WAIT);

    await page.getByText('Your pupillary distance: 63 mm').waitFor(WAIT);
    expect(await availableTokens(brand.customerId)).toBe(9);
  });

  it('works from a storefront on another origin, through CORS', async () => {
    const brand = await meteredBrand(api, { tokens: 10, apps: ['pd-calculator'] });
    let html = '';
    // A real server on loopback: Chromium refuses a routed (public) page's requests to 127.0.0.1.
    const shop = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    html = await (await fetch(api.url + storefrontPath(await publishableKey(brand, [shopOrigin])))).text();
    try {
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/frames/juniper`);

      await widgetButton().click(WAIT);

      await page.getByText('Your pupillary distance: 63 mm').waitFor(WAIT);
      expect(await availableTokens(brand.customerId)).toBe(9);
    } finally {
      shop.closeAllConnections();
      await new Promise((resolve) => shop.close(resolve));
    }
  });

  it('renders nothing, and charges nothing, on a storefront its key does not allow', async () => {
    const brand = await meteredBrand(api, { tokens: 10, apps: ['pd-calculator'] });
    const warned = page.waitForEvent('console', { predicate: (m) => m.text().includes('ORIGIN_NOT_ALLOWED'), ...WAIT });
    await page.goto(storefrontPath(await publishableKey(brand, ['https://shop.example'])));

    await warned;
    expect(await page.locator('[data-varai-widget]').count()).toBe(0);
    expect(await availableTokens(brand.customerId)).toBe(10);
  });

  it('shows shoppers a friendly line, never token talk, and charges nothing, when the balance is empty', async () => {
    const brand = await meteredBrand(api, { apps: ['pd-calculator'] });
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(storefrontPath(await publishableKey(brand, [api.url])));

    await widgetButton().click(WAIT);

    await page.getByText('This feature is taking a short break. Please try again later.').waitFor(WAIT);
    expect(await page.getByText(/token|debited|INSUFFICIENT/i).count()).toBe(0);
    // The brand's developer finds the reason and where to fix it in the console.
    expect(warnings.join('\n')).toContain(`pd-calculator: INSUFFICIENT_TOKENS (upgrade_plan); fix it at ${api.deps.config.api.publicUrl}/#/billing`);
    expect(await availableTokens(brand.customerId)).toBe(0);
  });

  it('renders nothing for an app the brand has not activated', async () => {
    const brand = await meteredBrand(api, { tokens: 10, apps: ['virtual-try-on'] });
    const warned = page.waitForEvent('console', { predicate: (m) => m.text().includes('APP_NOT_ACTIVE'), ...WAIT });
    await page.goto(storefrontPath(await publishableKey(brand, [api.url])));

    await warned;
    expect(await page.locator('[data-varai-widget]').count()).toBe(0);
  });
});

describe('portal widget snippet', () => {
  it('shows the storefront snippet with the new publishable key and this origin', async () => {
    const { user, password } = await signUp(api.url);
    await portal.logIn(user.email as string, password);
    await page.getByRole('link', { name: 'API keys', exact: true }).click(WAIT);
    await page.getByLabel('Key name').fill('Storefront');
    await page.getByLabel('Allowed origins').fill('https://shop.example');
    await page.getByRole('button', { name: 'Create key' }).click();

    const key = ((await page.getByTestId('api-key-secret').textContent(WAIT)) ?? '').trim();
    expect(key).toMatch(/^vpk_live_/);
    expect(await page.getByTestId('api-key-widget-snippet').textContent()).toBe(
      `<script src="${api.url}/widget.js" data-varai-key="${key}" data-varai-app="pd-calculator" async></script>`,
    );
  });

  it('never puts a secret key in a storefront snippet', async () => {
    const { user, password } = await signUp(api.url);
    await portal.logIn(user.email as string, password);
    await page.getByRole('link', { name: 'API keys', exact: true }).click(WAIT);
    await page.getByLabel('Key name').fill('Server');
    await page.getByRole('radio', { name: /^Secret/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();

    await page.getByTestId('api-key-secret').waitFor(WAIT);
    expect(await page.getByTestId('api-key-widget-snippet').count()).toBe(0);
  });
});
