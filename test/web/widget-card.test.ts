/**
 * @jest-environment node
 */
// The PD Calculator's card step in a real browser, on the package's sample face: with the brand's
// method set to 'card' the dialog shows two edge marks on the photo before the run; marks set by
// clicks and the arrow keys give the card width the run sends, and the PD is the one the engine
// computes for that width from the same landmarks. One charge per measurement; without a card, the
// iris scale, also one charge.
import { shootBothWidths } from '../support/screenshots';
import type { Browser, Page } from 'playwright-core';
import { pdFromPhoto } from '../../domain/engines/face-measures';
import { currentBalance } from '../../domain/metering/publish';
import { startApi, type TestApi } from '../support/api-server';
import { launchChromium, samplePhotos, storefrontKey } from '../support/storefront';
import { seriousA11yViolations } from '../support/axe';
import { meteredBrand, type MeteredBrand } from '../support/metering';

jest.setTimeout(240_000);

const SLOW = { timeout: 150_000 };
const { onePerson } = samplePhotos;

/** Set to a folder to keep screenshots of the card step (1280 and 390 px wide). */
const shots = process.env.TRY_ON_SCREENSHOTS;

let api: TestApi;
let browser: Browser;
let page: Page;
let brand: MeteredBrand;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 20, apps: ['pd-calculator'] });
  // The card step shows first only when the brand asks for cards (the default is the iris).
  expect((await brand.admin.request('PUT', '/api/apps/pd-calculator/configuration', { measurementMethod: 'card' })).status).toBe(200);
  const key = await storefrontKey(api, brand);
  browser = await launchChromium();
  page = await (await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`/demo/storefront?key=${encodeURIComponent(key)}&app=pd-calculator`);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const available = async () => Number((await currentBalance(api.deps.orm, api.deps.redis, brand.customerId)).availableTokens);
const dialog = () => page.getByRole('dialog');
const left = () => dialog().getByRole('slider', { name: 'Card’s left edge' });
const right = () => dialog().getByRole('slider', { name: 'Card’s right edge' });
const at = async (slider: ReturnType<typeof left>) => Number(await slider.getAttribute('aria-valuenow'));

/** Opens the dialog (once), uploads the photo, and waits for the card marks. */
async function photoWithCardStep() {
  if ((await dialog().count()) === 0) {
    await page.getByRole('button', { name: 'Measure my PD' }).click();
    await dialog().waitFor();
  }
  await dialog().getByLabel('Upload a photo').setInputFiles(onePerson);
  await left().waitFor(SLOW);
}

describe('PD with a card', () => {
  it('shows the card step first when the brand asks for cards; clicks and arrow keys set the edges; the PD is the engine’s for that card width; one charge', async () => {
    const before = await available();
    await photoWithCardStep();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const photo = dialog().locator('.cardstep canvas');
    // The marks sit on an enlarged view around the face; their values are photo pixels.
    const view = JSON.parse((await photo.getAttribute('data-view'))!);
    const box = (await photo.boundingBox())!;
    // Two clicks: the left edge at 30% of the photo, the right one at 70%.
    await photo.click({ position: { x: box.width * 0.3, y: box.height / 3 } });
    await photo.click({ position: { x: box.width * 0.7, y: box.height / 3 } });
    expect(Math.abs((await at(left())) - (view.x + view.w * 0.3))).toBeLessThanOrEqual(1);
    expect(Math.abs((await at(right())) - (view.x + view.w * 0.7))).toBeLessThanOrEqual(1);
    // Then the keyboard: the right edge 3 px right, the left one 10 px left.
    const [l0, r0] = [await at(left()), await at(right())];
    await right().focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await left().focus();
    await page.keyboard.press('Shift+ArrowLeft');
    expect([await at(left()), await at(right())]).toEqual([l0 - 10, r0 + 3]);
    await shootBothWidths(page, shots, 'widget-pd-card');
    const widthPx = r0 + 3 - (l0 - 10);

    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/apps/pd-calculator/run'));
    await dialog().getByRole('button', { name: 'Measure with the card' }).click();
    const input = (await sent).postDataJSON().input;
    expect(input.card).toEqual({ widthPx });
    const expected = pdFromPhoto(input.landmarks.face, input.card);
    expect(expected.method).toBe('card');
    await dialog().getByText(`Your pupillary distance: ${expected.pdMm} mm (± ${expected.uncertaintyMm} mm)`).waitFor(SLOW);
    await dialog().getByText(/Scale: the card you marked/).waitFor();
    expect(await available()).toBe(before - 1);
    // Measured: the marks are gone, the card stays on offer as a new action.
    expect(await left().count()).toBe(0);
    await dialog().getByRole('button', { name: 'Measure with a card' }).waitFor();
  });

  it('measures by the iris when the shopper has no card, the same figure as the engine’s, one charge', async () => {
    const before = await available();
    await photoWithCardStep();
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/apps/pd-calculator/run'));
    await dialog().getByRole('button', { name: 'Measure without a card' }).click();
    const input = (await sent).postDataJSON().input;
    expect(input.card).toBeUndefined();
    const expected = pdFromPhoto(input.landmarks.face);
    await dialog().getByText(`Your pupillary distance: ${expected.pdMm} mm (± ${expected.uncertaintyMm} mm)`).waitFor(SLOW);
    await dialog().getByText(/Scale: your iris/).waitFor();
    expect(await available()).toBe(before - 1);
  });
});
