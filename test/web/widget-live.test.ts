/**
 * @jest-environment node
 */
// The try-on apps on a live camera: Chromium's fake camera plays the package's sample face (a Y4M
// made from the JPEG), "Take a photo" → "Capture" charges one run, and the overlay then follows the
// face on the video with landmarks found in the page, with no further charge; "Stop camera" and
// closing the dialog stop the camera's tracks. One page for the file: the models load once.
import fs from 'node:fs';
import path from 'node:path';
import { shootBothWidths } from '../support/screenshots';
import type { Browser, Page } from 'playwright-core';
import { currentBalance } from '../../domain/metering/publish';
import { startApi, type TestApi } from '../support/api-server';
import { addWidgetSnippet, launchChromium, samplePhotos, storefrontKey } from '../support/storefront';
import { y4mFromPhoto } from '../support/fake-camera';
import { meteredBrand, type MeteredBrand } from '../support/metering';

jest.setTimeout(300_000);

const SLOW = { timeout: 150_000 };
const { onePerson } = samplePhotos;
/** Set to a folder to keep screenshots of the live view (1280 and 390 px wide). */
const shots = process.env.TRY_ON_SCREENSHOTS;

let api: TestApi;
let browser: Browser;
let page: Page;
let brand: MeteredBrand;
let camera: string;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 50, apps: ['virtual-try-on', 'contact-lens-try-on'] });
  const key = await storefrontKey(api, brand);
  const decoder = await launchChromium();
  camera = await y4mFromPhoto(decoder, onePerson).finally(() => decoder.close());
  browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`]);
  page = await (await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 900 } })).newPage();
  // Every camera stream the widget opens, so the test can see its tracks end.
  await page.addInitScript(`(() => {
    const md = navigator.mediaDevices;
    const open = md.getUserMedia.bind(md);
    window.__streams = [];
    md.getUserMedia = (c) => open(c).then((s) => { window.__streams.push(s); return s; });
  })()`);
  await page.goto(`/demo/storefront?key=${encodeURIComponent(key)}&app=virtual-try-on`);
  await addWidgetSnippet(page, key, 'contact-lens-try-on');
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (camera) fs.rmSync(path.dirname(camera), { recursive: true, force: true });
});

const available = async () => Number((await currentBalance(api.deps.orm, api.deps.redis, brand.customerId)).availableTokens);
const dialog = () => page.getByRole('dialog');
const liveTracks = () => page.evaluate(() => (globalThis as any).__streams.flatMap((s: any) => s.getTracks()).filter((t: any) => t.readyState === 'live').length);

/** Opens the app, takes a photo from the fake camera, and returns the run's result once the live view follows. */
async function tryOnLive(button: string, slug: string): Promise<any> {
  await page.getByRole('button', { name: button }).click();
  await dialog().waitFor();
  await dialog().getByRole('button', { name: 'Take a photo' }).click();
  await dialog().getByRole('button', { name: 'Capture' }).click();
  const answer = await page.waitForResponse((r) => r.url().endsWith(`/v1/apps/${slug}/run`), SLOW);
  const body = await answer.json();
  expect(answer.status()).toBe(200);
  // Two fresh landmark sets drawn on the video: it follows the face, not the still.
  await page.waitForFunction(
    (s) => Number((globalThis as any).document.querySelector(`[data-varai-widget="${s}"]`).shadowRoot.querySelector('.tryon canvas')?.getAttribute('data-live-updates') ?? 0) >= 2,
    slug,
    SLOW,
  );
  return body.result;
}

/** Changed pixels of the live canvas against the video frame itself, inside and outside boxes (video px). */
function changed(boxes: Array<{ x: number; y: number; w: number; h: number }>, slug: string) {
  return page.evaluate(
    ({ boxes, slug }) => {
      const g = globalThis as any;
      const root = g.document.querySelector(`[data-varai-widget="${slug}"]`).shadowRoot;
      const shown = root.querySelector('.tryon canvas');
      const video = root.querySelector('video');
      const v = JSON.parse(shown.getAttribute('data-view'));
      const bare = g.document.createElement('canvas');
      bare.width = shown.width;
      bare.height = shown.height;
      const b = bare.getContext('2d');
      b.setTransform(v.scale, 0, 0, v.scale, -v.x * v.scale, -v.y * v.scale);
      b.drawImage(video, 0, 0, video.videoWidth, video.videoHeight);
      const a = shown.getContext('2d').getImageData(0, 0, shown.width, shown.height).data;
      const p = b.getImageData(0, 0, shown.width, shown.height).data;
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < shown.height; y++) {
        for (let x = 0; x < shown.width; x++) {
          const i = (y * shown.width + x) * 4;
          if (Math.abs(a[i] - p[i]) + Math.abs(a[i + 1] - p[i + 1]) + Math.abs(a[i + 2] - p[i + 2]) <= 6) continue;
          const px = x / v.scale + v.x;
          const py = y / v.scale + v.y;
          if (boxes.some((r: any) => px >= r.x && px < r.x + r.w && py >= r.y && py < r.y + r.h)) inside++;
          else outside++;
        }
      }
      return { inside, outside, live: shown.getAttribute('aria-label') };
    },
    { boxes, slug },
  );
}

const screenshot = (name: string) => shootBothWidths(page, shots, name);

describe('virtual try-on on the live camera', () => {
  it('draws the frame between the eyes of the video, follows it at no charge, and "Stop camera" stops the tracks', async () => {
    const before = await available();
    const result = await tryOnLive('Try it on', 'virtual-try-on');
    const { centre, widthPx } = result.frames[0].placement;
    const r = widthPx / 8;
    const bridge = await changed([{ x: centre.x - r, y: centre.y - r, w: 2 * r, h: 2 * r }], 'virtual-try-on');
    expect(bridge.live).toBe('Your camera with the frame');
    expect(bridge.inside).toBeGreaterThan(20);
    const whole = await changed([{ x: centre.x - widthPx * 0.6, y: centre.y - widthPx * 0.35, w: widthPx * 1.2, h: widthPx * 0.7 }], 'virtual-try-on');
    expect(whole.outside).toBe(0);
    // Switching frames on the live view redraws only.
    await dialog().getByRole('button', { name: result.frames[1].frame.name }).click();
    expect(await liveTracks()).toBe(1);
    await screenshot('widget-try-on-live');
    expect(await available()).toBe(before - 5);
    await dialog().getByRole('button', { name: 'Stop camera' }).click();
    expect(await liveTracks()).toBe(0);
    await dialog().getByRole('img', { name: 'Your photo with the frame' }).waitFor();
    expect(await available()).toBe(before - 5);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });
});

describe('contact lens try-on on the live camera', () => {
  it('tints inside the eyes of the video, one charge, and closing the dialog stops the camera', async () => {
    const before = await available();
    const result = await tryOnLive('Try lenses on', 'contact-lens-try-on');
    const eyes = result.eyes.map((e: any) => ({ x: e.centre.x - e.radiusPx - 2, y: e.centre.y - e.radiusPx - 2, w: 2 * e.radiusPx + 4, h: 2 * e.radiusPx + 4 }));
    const tinted = await changed(eyes, 'contact-lens-try-on');
    expect(tinted.live).toBe('Your camera with the lenses');
    expect(tinted.inside).toBeGreaterThan(40);
    expect(tinted.outside).toBe(0);
    expect(await liveTracks()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await liveTracks()).toBe(0);
    expect(await available()).toBe(before - 3);
  });
});
