// Portal tests: the real API (which serves the built portal from web/dist) and Debian's
// chromium through playwright-core, with a fresh browser context per test so no session
// carries over.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type TestApi } from './api-server';
import { launchChromium } from './storefront';

export interface Portal {
  api(): TestApi;
  page(): Page;
  /** Fills the login form and submits it; waiting for the outcome is the test's business. */
  logIn(email: string, password: string): Promise<void>;
}

/**
 * Registers the jest hooks of a portal test file. `env`: overrides for the API's configuration,
 * read when it starts (after the file's own earlier beforeAll, e.g. an SMTP catcher's URL).
 */
export function usePortal(env: () => Partial<NodeJS.ProcessEnv> = () => ({})): Portal {
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    api = await startApi(env());
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ baseURL: api.url });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  return {
    api: () => api,
    page: () => page,
    async logIn(email, password) {
      await page.goto('/');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
    },
  };
}
