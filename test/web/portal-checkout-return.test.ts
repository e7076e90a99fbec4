/**
 * @jest-environment node
 */
// Coming back from Stripe Checkout: the return URLs the API gives Stripe open the billing page
// with the outcome (plan started, pack credited after its purchase is polled, cancelled with
// nothing charged), then drop the query; an old `/billing?…` link is redirected to the hash route.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { billingReturnUrl } from '../../api/billing-return';
import { taskQueues } from '../../temporal.config';
import { expectAccessible } from '../support/axe';
import { usePortal } from '../support/browser';
import { signUp, type Session } from '../support/http';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startTestWorker, type TestWorker } from '../support/temporal';
import { waitFor } from '../support/wait';
import { subscribe } from '../support/billing';

jest.setTimeout(90_000);

const WAIT = { timeout: 20_000 };
const portal = usePortal();
let page: Page;
let smtp: TestSmtp;
let workers: TestWorker[];

beforeAll(async () => {
  smtp = await startSmtp();
  workers = [await startTestWorker(taskQueues.billing, { SMTP_URL: smtp.url }), await startTestWorker(taskQueues.tokenPacks, { SMTP_URL: smtp.url })];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await smtp?.close();
});

beforeEach(() => {
  page = portal.page();
});

/** A new brand, its admin logged in both over HTTP (to pay in test mode) and in the browser. */
async function newBrand(): Promise<Session> {
  const { session, user, password } = await signUp(portal.api().url);
  await portal.logIn(user.email as string, password);
  await page.getByTestId('user-email').waitFor(WAIT);
  return session;
}

/** A pack bought and, unless `pay` is false, paid in test mode, as the Checkout page would. */
async function buyPack(admin: Session, pay = true): Promise<string> {
  const bought = await admin.post('/api/billing/token-packs', { pack: 'tokens_1k' });
  expect(bought.status).toBe(201);
  const id = bought.body.purchase.id as string;
  if (pay) expect((await admin.post(`/api/billing/token-packs/${id}/complete-test-payment`)).status).toBe(200);
  return id;
}

/** The return URL as the API hands it to Stripe, relative to this test's API. */
const returnPath = (query: string) => `${new URL(billingReturnUrl(portal.api().deps.config)).hash}?${query}`;

const shots = process.env.SCREENSHOT_DIR;

describe('checkout return', () => {
  it('sends Stripe back to the billing hash route', () => {
    expect(billingReturnUrl({ api: { publicUrl: 'https://portal.example/' } } as never)).toBe('https://portal.example/#/billing');
  });

  it('shows the started plan after a subscription checkout, then clears the query', async () => {
    const admin = await newBrand();
    await subscribe(admin, 'starter');
    await page.goto(`/${returnPath('checkout=success&plan=starter')}`);
    await page.getByRole('status').filter({ hasText: 'Payment received: the Starter plan is active.' }).waitFor(WAIT);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Billing');
    await waitFor(async () => Promise.resolve(new URL(page.url()).hash), (h) => h === '#/billing', 5_000);
    expect(new URL(page.url()).hash).toBe('#/billing');
  });

  it('credits a pack bought through Checkout, polling its purchase, from an old /billing link', async () => {
    const admin = await newBrand();
    const id = await buyPack(admin);
    // The URL token packs returned to before the hash route: the API redirects it.
    await page.goto(`/billing?purchase=${id}&checkout=success`);
    await page.getByRole('status').filter({ hasText: 'Payment received: 1,000 tokens added.' }).waitFor(WAIT);
    await page.getByTestId('pack-tokens').filter({ hasText: '1,000 tokens' }).waitFor(WAIT);
    expect(new URL(page.url()).hash).toBe('#/billing');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page);
      if (shots) await page.screenshot({ path: path.join(shots, `billing-return-${width}.png`), fullPage: true });
    }
  });

  it('says nothing was charged when the buyer cancelled the checkout', async () => {
    const admin = await newBrand();
    const id = await buyPack(admin, false);
    await page.goto(`/${returnPath(`purchase=${id}&checkout=cancelled`)}`);
    await page.getByRole('status').filter({ hasText: 'Checkout cancelled: nothing was charged.' }).waitFor(WAIT);
    await page.getByTestId('pack-tokens').filter({ hasText: '0 tokens' }).waitFor(WAIT);
  });

  it('redirects GET /billing to the hash route, keeping the query', async () => {
    const res = await fetch(`${portal.api().url}/billing?purchase=x&checkout=cancelled`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/#/billing?purchase=x&checkout=cancelled');
  });
});
