/**
 * @jest-environment node
 */
// The photo apps in a real browser, on the face runtime's own sample photos: the dialog, the
// landmarks found in the page, the PD and face shape the server computes from them, one charge per
// shopper action and none for a photo without a face. One browser page for the whole file: loading
// the models costs seconds, and the page keeps them between tests as a shopper's page would.
import type { Browser, Page } from 'playwright-core';
import { appCatalog } from '../../domain/catalog/apps';
import { currentBalance } from '../../domain/metering/publish';
import { startApi, type TestApi } from '../support/api-server';
import { addWidgetSnippet, launchChromium, samplePhotos, storefrontKey } from '../support/storefront';
import { signUp } from '../support/http';
import { activateApps, meteredBrand, type MeteredBrand } from '../support/metering';

jest.setTimeout(180_000);

/** Model load and inference on SwiftShader, on a shared two-core box. */
const SLOW = { timeout: 120_000 };
const { onePerson, fourPeople } = samplePhotos;

let api: TestApi;
let browser: Browser;
let page: Page;
let brand: MeteredBrand;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 50, apps: ['pd-calculator', 'face-shape-analysis'] });
  // Face shape offers uploads only: the brand's capture mode reaches the dialog.
  const configured = await brand.admin.request('PUT', '/api/apps/face-shape-analysis/configuration', { captureMode: 'photo' });
  if (configured.status !== 200) throw new Error(`configuration failed: ${configured.status} ${JSON.stringify(configured.body)}`);
  // PD is measured by the iris, the default method, with no configuration: a photo gives a figure
  // at once. The card step (a brand's 'card' method) has its own file, widget-card.test.ts.
  const key = await storefrontKey(api, brand);
  browser = await launchChromium();
  page = await (await browser.newContext({ baseURL: api.url })).newPage();
  await page.goto(`/demo/storefront?key=${encodeURIComponent(key)}&app=pd-calculator`);
  // The face shape widget beside it, as a second snippet on the same product page.
  await addWidgetSnippet(page, key, 'face-shape-analysis');
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const available = async () => Number((await currentBalance(api.deps.orm, api.deps.redis, brand.customerId)).availableTokens);
const dialog = () => page.getByRole('dialog');

async function openApp(name: string) {
  await page.getByRole('button', { name }).click();
  await dialog().waitFor();
}

async function closeDialog() {
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'detached' });
}

/** Uploads a photo in the open dialog and waits for the result line that matches. */
async function upload(file: string | { name: string; mimeType: string; buffer: Buffer }, answer: RegExp): Promise<string> {
  await dialog().getByLabel('Upload a photo').setInputFiles(file);
  const line = dialog().getByText(answer);
  await line.waitFor(SLOW);
  return (await line.textContent()) ?? '';
}

/** A plain grey PNG: a photo with no face in it. */
async function blankPng(): Promise<Buffer> {
  const url = String(
    await page.evaluate(`(() => {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#8a8f99';
      ctx.fillRect(0, 0, c.width, c.height);
      return c.toDataURL('image/png');
    })()`),
  );
  return Buffer.from(url.split(',')[1]!, 'base64');
}

describe('photo dialog', () => {
  it('opens from the app button as a labelled dialog with both ways in, and Escape returns focus to the button', async () => {
    await openApp('Measure my PD');
    expect(await page.getByRole('dialog', { name: 'PD Calculator' }).count()).toBe(1);
    expect(await dialog().getByRole('button', { name: 'Take a photo' }).evaluate((e) => e === (e.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    expect(await dialog().getByLabel('Upload a photo').getAttribute('type')).toBe('file');
    await closeDialog();
    expect(await page.getByRole('button', { name: 'Measure my PD' }).evaluate((e) => e === (e.getRootNode() as unknown as { activeElement: unknown }).activeElement)).toBe(true);
  });

  it('keeps Tab inside the dialog', async () => {
    await openApp('Measure my PD');
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('Tab');
    // The widget draws in a shadow root: the focused element is the host's, inside the dialog.
    expect(await page.evaluate("!!document.activeElement?.shadowRoot?.activeElement?.closest('[role=dialog]')")).toBe(true);
    await closeDialog();
  });
});

describe('PD from a photo', () => {
  let first = '';

  it('finds the face, measures a plausible PD with its uncertainty, and charges one token', async () => {
    const before = await available();
    await openApp('Measure my PD');
    first = await upload(onePerson, /Your pupillary distance/);
    const pd = Number(/distance: ([\d.]+) mm/.exec(first)?.[1]);
    expect(pd).toBeGreaterThanOrEqual(54);
    expect(pd).toBeLessThanOrEqual(74);
    expect(first).toMatch(/\(± [\d.]+ mm\)/);
    await dialog().getByText(/Scale: your iris/).waitFor();
    // The iris method still offers the card afterwards, as a new action.
    await dialog().getByRole('button', { name: 'Measure with a card' }).waitFor();
    expect(await available()).toBe(before - 1);
  });

  it('gives the same figure for the same photo again, and charges that action once more', async () => {
    const before = await available();
    expect(await upload(onePerson, /Your pupillary distance/)).toBe(first);
    expect(await available()).toBe(before - 1);
  });

  it('tells the shopper there is no face in a plain image, and charges nothing', async () => {
    const before = await available();
    await upload({ name: 'wall.png', mimeType: 'image/png', buffer: await blankPng() }, /could not find a face/);
    expect(await available()).toBe(before);
  });

  it('asks for a photo of one face when there are several, and charges nothing', async () => {
    const before = await available();
    await upload(fourPeople, /more than one face/);
    expect(await available()).toBe(before);
    await closeDialog();
  });
});

describe('face shape from a photo', () => {
  it('classifies the face, the same way twice, one charge per photo, offering the upload alone as the brand chose', async () => {
    const before = await available();
    await openApp('Find my face shape');
    expect(await dialog().getByRole('button', { name: 'Take a photo' }).count()).toBe(0);
    const once = await upload(onePerson, /Your face shape: \w+/);
    const twice = await upload(onePerson, /Your face shape: \w+/);
    expect(twice).toBe(once);
    const cost = appCatalog.find((a) => a.slug === 'face-shape-analysis')!.costTokens;
    expect(await available()).toBe(before - 2 * cost);
    await closeDialog();
  });
});

describe("the portal's live preview", () => {
  // Last: it leaves the storefront for the portal on the same page.
  it('runs the same dialog and landmark module on a photo, and calls no API', async () => {
    const { user, password } = await signUp(api.url);
    await activateApps(api.deps.orm, api.deps.redis, user.customerId as string, ['pd-calculator']);
    await page.goto('/');
    await page.getByLabel('Email', { exact: true }).fill(user.email as string);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('user-email').waitFor();
    await page.goto('/#/apps/pd-calculator');
    const preview = page.frameLocator('iframe[title="Widget preview"]');
    const runs: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) runs.push(r.url());
    });
    await preview.getByRole('button', { name: 'Measure my PD' }).click(SLOW);
    await preview.getByRole('dialog').getByLabel('Upload a photo').setInputFiles(onePerson);
    await preview.getByText('Preview: 1 face(s) found').waitFor(SLOW);
    expect(runs).toEqual([]);
  });
});
