// `npm run screenshots`: every portal page of scripts/lib/screenshot-pages.ts at 1280 and 390 px,
// into docs/screenshots/<name>-<width>.png, the files the README and docs/guides show.
//
// Starts (or reuses) the `test` profile's services (its TEST_* ports and data folder, so
// `npm run up` keeps running beside it), migrates and seeds them, builds the portal, and runs
// the API and the workers in this process on task queues of their own. Logs in as the demo
// admin, the operator, or a brand that signs up and subscribes here (checklist, inactive app).
// `--only name,name` captures a few pages.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../api/app';
import { buildDeps, closeDeps } from '../api/build-deps';
import { closeServer } from '../api/close-server';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runWorkers } from '../activities/worker';
import { demoPassword, demoUsers } from '../domain/catalog/demo';
import { loadConfig } from '../domain/infra/config';
import { cookieHeader, keepCookies, type CookieJar } from './lib/cookie-jar';
import { ensureInstalled } from './lib/install';
import { log, step } from './lib/log';
import { migrateAndSeed } from './lib/prepare-database';
import { appEnv, loadProfile, projectRoot } from './lib/profiles';
import { screenshotPages, screenshotWidths, type ScreenshotPage, type SetupContext, type Viewer } from './lib/screenshot-pages';
import { startStack } from './lib/services';
import { bundleWorkflows } from './lib/workflow-bundle';

const outDir = path.join(projectRoot, 'docs/screenshots');
const readyTimeoutMs = 15_000;

/** The API as one person, with the Origin the CSRF check wants. */
function apiSession(baseUrl: string): SetupContext & { login(email: string, password: string): Promise<void> } {
  const jar: CookieJar = new Map();
  async function call<T>(method: string, p: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: cookieHeader(jar) };
    if (method !== 'GET') headers.origin = baseUrl;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    keepCookies(jar, res.headers);
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  return {
    get: <T>(p: string) => call<T>('GET', p),
    post: <T>(p: string, body?: unknown) => call<T>('POST', p, body),
    put: <T>(p: string, body?: unknown) => call<T>('PUT', p, body),
    async login(email, password) {
      await call('POST', '/api/auth/login', { email, password });
    },
  };
}

/** A brand that signs up now and pays for Professional in test mode: the onboarding checklist shows, its apps are inactive. */
async function freshBrand(baseUrl: string, plan: 'starter' | 'professional'): Promise<{ email: string; password: string }> {
  const s = apiSession(baseUrl);
  const creds = { email: `screens-${plan}-${Date.now().toString(36)}@example.test`, password: 'screenshots-2026' };
  await s.post('/api/auth/signup', { brandName: 'Northwind Optics', name: 'Nora North', ...creds });
  await s.post('/api/billing/subscription', { plan });
  await s.post('/api/billing/subscription/complete-test-payment');
  for (let i = 0; i < 60; i++) {
    if ((await s.get<{ status: string | null }>('/api/billing')).status === 'active') return creds;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the fresh brand’s plan did not start');
}

async function capture(browser: Browser, baseUrl: string, who: Record<Exclude<Viewer, 'none'>, { email: string; password: string }>, row: ScreenshotPage): Promise<void> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: screenshotWidths[0], height: 900 } });
  const page: Page = await context.newPage();
  try {
    const api = apiSession(baseUrl);
    if (row.as !== 'none') {
      const { email, password } = who[row.as];
      await api.login(email, password);
      await page.goto('/');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByTestId('user-email').waitFor({ timeout: readyTimeoutMs });
    }
    const at = typeof row.at === 'string' ? row.at : await row.at(api);
    for (const width of screenshotWidths) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      // Opened afresh at each width, so what a page says once (a Checkout outcome) is seen at both.
      await page.goto(at.startsWith('#') ? `/${at}` : at);
      if (row.ready) await page.getByText(row.ready).first().waitFor({ timeout: readyTimeoutMs }).catch(() => log(`${row.name}: "${row.ready}" not seen; captured as it is`));
      await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`, undefined, { timeout: readyTimeoutMs }).catch(() => undefined);
      if (row.act) await row.act(page).catch(async (err: unknown) => {
        await page.screenshot({ path: '/tmp/act-failed.png', fullPage: true });
        throw err;
      });
      if (row.scrollTo) await page.getByRole(row.scrollTo.role, { name: row.scrollTo.name }).first().scrollIntoViewIfNeeded({ timeout: 5_000 }).catch(() => log(`${row.name}: ${row.scrollTo!.name} not found`));
      await page.waitForTimeout(300);
      const file = path.join(outDir, `${row.name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: !row.scrollTo });
      log(`wrote ${path.relative(projectRoot, file)}`);
    }
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  // The workers' state changes are logged at INFO; only their warnings matter here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',') : null;
  const rows = screenshotPages.filter((r) => !only || only.includes(r.name));
  const profile = loadProfile('test');
  const stack = await startStack(profile, ensureInstalled());
  const env = { ...process.env, ...appEnv(profile), LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE_PREFIX: `screens-${process.pid}-` };
  const config = loadConfig(env);
  let stopWorkers: (() => Promise<unknown>) | undefined;
  let browser: Browser | undefined;
  let deps: Awaited<ReturnType<typeof buildDeps>> | undefined;
  let server: ReturnType<ReturnType<typeof createApp>['listen']> | undefined;
  try {
    step('migrating and seeding the test database');
    await migrateAndSeed(config);
    step('building the portal');
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], { cwd: projectRoot, stdio: 'inherit' });
    step('starting the workers and the API');
    const bundle = await bundleWorkflows(path.join(profile.dataDir, 'screenshots-workflow-bundle.js'));
    stopWorkers = (await runWorkers(config, { workflowBundle: { codePath: bundle } })).shutdown;
    deps = await buildDeps(config, pino({ level: 'silent' }));
    server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const byRole = (role: string) => ({ email: demoUsers.find((u) => u.role === role)!.email, password: demoPassword });
    const fresh = async (viewer: Viewer, plan: 'starter' | 'professional') => (rows.some((r) => r.as === viewer) ? freshBrand(baseUrl, plan) : byRole('admin'));
    const who = {
      'demo-admin': byRole('admin'),
      operator: byRole('operator'),
      'fresh-admin': await fresh('fresh-admin', 'professional'),
      'starter-admin': await fresh('starter-admin', 'starter'),
    };

    fs.mkdirSync(outDir, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    step(`capturing ${rows.length} pages at ${screenshotWidths.join(' and ')} px`);
    for (const row of rows) await capture(browser, baseUrl, who, row);
  } finally {
    await browser?.close();
    if (server) await closeServer(server, 0);
    if (deps) await closeDeps(deps);
    await stopWorkers?.();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
