/**
 * @jest-environment node
 */
// The two try-on apps in the real widget: the demo storefront, the photo dialog, the face runtime
// finding the landmarks in the page, one paid run, and the drawing on the photo (pixels read back
// from the shadow root's canvases). One page for the file: the models load once, as on a shop.
import { shootBothWidths } from '../support/screenshots';
import type { Browser, Page } from 'playwright-core';
import { currentBalance } from '../../domain/metering/publish';
import { startApi, type TestApi } from '../support/api-server';
import { addWidgetSnippet, launchChromium, samplePhotos, storefrontKey } from '../support/storefront';
import { meteredBrand, type MeteredBrand } from '../support/metering';

jest.setTimeout(240_000);

/** Model load and inference on SwiftShader, on a shared two-core box. */
const SLOW = { timeout: 150_000 };
const { onePerson } = samplePhotos;
/** Set to a folder to keep the screenshots of the result (1280 and 390 px wide). */
const shots = process.env.TRY_ON_SCREENSHOTS;

let api: TestApi;
let browser: Browser;
let page: Page;
let brand: MeteredBrand;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 50, apps: ['virtual-try-on', 'contact-lens-try-on'] });
  // Lenses default to the camera only; the test has no face on its camera, so the brand allows uploads.
  const configured = await brand.admin.request('PUT', '/api/apps/contact-lens-try-on/configuration', { captureMode: 'both' });
  if (configured.status !== 200) throw new Error(`configuration failed: ${configured.status}`);
  const key = await storefrontKey(api, brand);
  browser = await launchChromium();
  page = await (await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`/demo/storefront?key=${encodeURIComponent(key)}&app=virtual-try-on`);
  // The lens widget beside it, as a second snippet on the same product page.
  await addWidgetSnippet(page, key, 'contact-lens-try-on');
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const available = async () => (await currentBalance(api.deps.orm, api.deps.redis, brand.customerId)).availableTokens!;
const dialog = () => page.getByRole('dialog');

/** Opens the app, uploads the photo, and returns the run's answer once the drawing is shown. */
async function tryOnPhoto(button: string, slug: string): Promise<any> {
  await page.getByRole('button', { name: button }).click();
  await dialog().waitFor();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/v1/apps/${slug}/run`), SLOW);
  await dialog().getByLabel('Upload a photo').setInputFiles(onePerson);
  const body = await (await answer).json();
  await dialog().locator('.tryon canvas').waitFor(SLOW);
  return body.result;
}

/**
 * Compares the drawn canvas with the photo canvas beside it, shown through the same view (the
 * drawing enlarges the face): changed pixels inside and outside boxes given in photo pixels.
 */
function changed(boxes: Array<{ x: number; y: number; w: number; h: number }>, slug: string) {
  return page.evaluate(
    ({ boxes: photoBoxes, slug }) => {
      const g = globalThis as any;
      const root = g.document.querySelector(`[data-varai-widget="${slug}"]`).shadowRoot;
      const shown = root.querySelector('.tryon canvas');
      const photo = root.querySelector('canvas[aria-label="Your photo"]');
      const v = JSON.parse(shown.getAttribute('data-view'));
      const bare = g.document.createElement('canvas');
      bare.width = shown.width;
      bare.height = shown.height;
      const b = bare.getContext('2d');
      b.imageSmoothingQuality = 'high';
      b.setTransform(v.scale, 0, 0, v.scale, -v.x * v.scale, -v.y * v.scale);
      b.drawImage(photo, 0, 0, photo.width, photo.height);
      const boxes = photoBoxes.map((x: any) => ({ x: (x.x - v.x) * v.scale, y: (x.y - v.y) * v.scale, w: x.w * v.scale, h: x.h * v.scale }));
      const a = shown.getContext('2d').getImageData(0, 0, shown.width, shown.height).data;
      const p = b.getImageData(0, 0, shown.width, shown.height).data;
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < shown.height; y++) {
        for (let x = 0; x < shown.width; x++) {
          const i = (y * shown.width + x) * 4;
          if (Math.abs(a[i] - p[i]) + Math.abs(a[i + 1] - p[i + 1]) + Math.abs(a[i + 2] - p[i + 2]) <= 6) continue;
          if (boxes.some((b: any) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside++;
          else outside++;
        }
      }
      return { inside, outside };
    },
    { boxes, slug },
  );
}

const screenshot = (name: string) => shootBothWidths(page, shots, name);

describe('virtual try-on in the widget', () => {
  it('draws the first frame between the eyes of the uploaded photo, switches frames for free, one charge', async () => {
    const before = await available();
    const result = await tryOnPhoto('Try it on', 'virtual-try-on');
    expect(result.frames.length).toBeGreaterThan(1);
    const { centre, widthPx } = result.frames[0].placement;
    const r = widthPx / 8;
    const bridge = await changed([{ x: centre.x - r, y: centre.y - r, w: 2 * r, h: 2 * r }], 'virtual-try-on');
    expect(bridge.inside).toBeGreaterThan(20);
    const whole = await changed([{ x: centre.x - widthPx * 0.6, y: centre.y - widthPx * 0.35, w: widthPx * 1.2, h: widthPx * 0.7 }], 'virtual-try-on');
    expect(whole.outside).toBe(0);
    await dialog().getByRole('button', { name: result.frames[2].frame.name }).click();
    expect(await dialog().getByRole('button', { name: result.frames[2].frame.name }).getAttribute('aria-pressed')).toBe('true');
    expect(await available()).toBe(before - 5);
    await screenshot('widget-try-on');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });
});

describe('contact lens try-on in the widget', () => {
  it('tints inside the eyes only, recolours for free, one charge', async () => {
    const before = await available();
    const result = await tryOnPhoto('Try lenses on', 'contact-lens-try-on');
    const eyes = result.eyes.map((e: any) => ({ x: e.centre.x - e.radiusPx - 1, y: e.centre.y - e.radiusPx - 1, w: 2 * e.radiusPx + 2, h: 2 * e.radiusPx + 2 }));
    const tinted = await changed(eyes, 'contact-lens-try-on');
    expect(tinted.inside).toBeGreaterThan(40);
    expect(tinted.outside).toBe(0);
    await dialog().getByRole('button', { name: 'Amethyst' }).click();
    expect(await dialog().getByRole('button', { name: 'Amethyst' }).getAttribute('aria-pressed')).toBe('true');
    expect(await available()).toBe(before - 3);
    await screenshot('widget-contact-lens');
    await page.keyboard.press('Escape');
  });
});
