/**
 * @jest-environment node
 */
// The try-on drawing (api/widget/try-on.js) in Chromium on a real face: @vladmandic/human's own
// sample photo and the landmarks its runtime found there (test/fixtures/landmarks). One paid run
// through /v1/apps/:slug/run, then the canvas is read back: the frame is drawn between the eyes
// and nowhere far from them; the iris is tinted and the skin around it is not; switching frames
// or lens colours redraws without another charge.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { currentBalance } from '../../domain/metering/publish';
import type { TestApi } from '../support/api-server';
import { usePortal } from '../support/browser';
import { meteredBrand, type MeteredBrand } from '../support/metering';
import { storefrontKey } from '../support/storefront';

jest.setTimeout(90_000);

const root = path.resolve(__dirname, '../..');
const photoFile = path.join(root, 'node_modules/@vladmandic/human/assets/screenshot-faceid.jpg');
const landmarks = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/landmarks/screenshot-faceid.json'), 'utf8'));
// Black frames, so the drawing stands out on skin: a plastic cat-eye and a metal geometric.
const frameIds = ['frm-004', 'frm-008'];

const portal = usePortal();
let api: TestApi;
let page: Page;
beforeAll(() => {
  api = portal.api();
});

/** A blank storefront page on the API's origin, with the module and the photo beside it. */
beforeEach(async () => {
  page = portal.page();
  await page.route('**/try-on-test/**', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    if (name === 'shop.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Shop</title><main id="host" style="max-width:560px"></main></html>' });
    if (name === 'try-on.js') return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(path.join(root, 'api/widget/try-on.js')) });
    if (name === 'photo.jpg') return route.fulfill({ contentType: 'image/jpeg', body: fs.readFileSync(photoFile) });
    return route.fulfill({ status: 404 });
  });
  await page.goto('/try-on-test/shop.html');
});

const publishableKey = (brand: MeteredBrand) => storefrontKey(api, brand);

const available = async (b: MeteredBrand) => (await currentBalance(api.deps.orm, api.deps.redis, b.customerId)).availableTokens;

// Browser-side helpers, as page source (the test files compile without the DOM library).
const pageHelpers = `
window.t = {
  async run({ key, app, input }) {
    const m = await import('/try-on-test/try-on.js');
    const img = new Image();
    img.src = '/try-on-test/photo.jpg';
    await img.decode();
    const res = await fetch('/v1/apps/' + app + '/run', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + key, 'idempotency-key': crypto.randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({ input }),
    });
    const body = await res.json();
    if (!res.ok) return { status: res.status, result: body };
    window.photo = img;
    window.module = m;
    window.tryOn = m.mountTryOn(document.getElementById('host'), { app, source: img, result: body.result, origin: location.origin });
    await window.tryOn.ready();
    return { status: res.status, result: body.result };
  },
  bare() {
    const shown = window.tryOn.canvas;
    const bare = document.createElement('canvas');
    bare.width = shown.width;
    bare.height = shown.height;
    bare.getContext('2d').drawImage(window.photo, 0, 0);
    return bare;
  },
  // Pixels of the try-on that differ from the bare photo, inside a box (with their mean colour) and outside it.
  async changed(box) {
    await window.tryOn.ready();
    const shown = window.tryOn.canvas;
    const a = shown.getContext('2d').getImageData(0, 0, shown.width, shown.height).data;
    const p = this.bare().getContext('2d').getImageData(0, 0, shown.width, shown.height).data;
    let inside = 0, outside = 0;
    const sum = [0, 0, 0];
    for (let y = 0; y < shown.height; y++) for (let x = 0; x < shown.width; x++) {
      const i = (y * shown.width + x) * 4;
      if (Math.abs(a[i] - p[i]) + Math.abs(a[i + 1] - p[i + 1]) + Math.abs(a[i + 2] - p[i + 2]) <= 6) continue;
      if (x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h) {
        inside++; sum[0] += a[i]; sum[1] += a[i + 1]; sum[2] += a[i + 2];
      } else outside++;
    }
    return { inside, outside, mean: sum.map((s) => (inside ? Math.round(s / inside) : 0)) };
  },
  // The mean colour at the points, on the bare photo and on the try-on.
  async coloursAt(points) {
    await window.tryOn.ready();
    const mean = (c) => {
      const ctx = c.getContext('2d');
      const s = [0, 0, 0];
      for (const p of points) {
        const d = ctx.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data;
        s[0] += d[0]; s[1] += d[1]; s[2] += d[2];
      }
      return s.map((v) => v / points.length);
    };
    return { before: mean(this.bare()), after: mean(window.tryOn.canvas) };
  },
};`;

type Box = { x: number; y: number; w: number; h: number };
type Colours = { before: number[]; after: number[] };

/** Runs the app once from the page (one paid run) and mounts the result. */
async function tryOn(key: string, app: string, extra: Record<string, unknown>): Promise<{ status: number; result: any }> {
  await page.addScriptTag({ content: pageHelpers });
  return page.evaluate((args) => (globalThis as any).t.run(args), { key, app, input: { landmarks, ...extra } });
}
const changedPixels = (box: Box): Promise<{ inside: number; outside: number; mean: number[] }> => page.evaluate((b) => (globalThis as any).t.changed(b), box);
const coloursAt = (points: Array<{ x: number; y: number }>): Promise<Colours> => page.evaluate((p) => (globalThis as any).t.coloursAt(p), points);
const canvasData = (): Promise<string> => page.evaluate(() => (globalThis as any).tryOn.canvas.toDataURL());

const eyes = landmarks.face;
const mid = { x: (eyes.leftEye.iris.center.x + eyes.rightEye.iris.center.x) / 2, y: (eyes.leftEye.iris.center.y + eyes.rightEye.iris.center.y) / 2 };
const eyeDistance = Math.abs(eyes.leftEye.iris.center.x - eyes.rightEye.iris.center.x);
const distanceTo = (c: number[], hex: string) => Math.hypot(c[0]! - parseInt(hex.slice(1, 3), 16), c[1]! - parseInt(hex.slice(3, 5), 16), c[2]! - parseInt(hex.slice(5, 7), 16));

describe('virtual try-on in the browser', () => {
  it('draws the frame between the eyes of a real face, nothing far away, for one charge across frame switches', async () => {
    const brand = await meteredBrand(api, { tokens: 20, apps: ['virtual-try-on'] });
    const run = await tryOn(await publishableKey(brand), 'virtual-try-on', { frameIds });
    expect(run.status).toBe(200);
    expect(await available(brand)).toBe(15);

    // The bridge: frame-coloured pixels within a fifth of the eye distance of the eyes' midpoint.
    const r = eyeDistance / 5;
    const bridge = await changedPixels({ x: mid.x - r, y: mid.y - r, w: 2 * r, h: 2 * r });
    expect(bridge.inside).toBeGreaterThan(3);
    expect(Math.max(...bridge.mean)).toBeLessThan(90); // a black frame darkens the bridge of the nose
    // The whole drawing stays within a frame's width around the face: nothing far away changes.
    const { widthPx } = run.result.frames[0].placement;
    const near = await changedPixels({ x: mid.x - widthPx, y: mid.y - widthPx / 2, w: 2 * widthPx, h: widthPx });
    expect(near.inside).toBeGreaterThan(50);
    expect(near.outside).toBe(0);

    // The browser's copy of the placement agrees with the server's on the same landmarks.
    const local = await page.evaluate(({ l, mm }) => (globalThis as any).module.placeFrame(l, mm), { l: landmarks, mm: run.result.frames[0].frame.totalWidthMm });
    expect(local).toEqual(run.result.frames[0].placement);

    // Switching frames redraws the other frame, and charges nothing.
    const first = await canvasData();
    await page.getByRole('button', { name: run.result.frames[1].frame.name }).click();
    await page.waitForFunction((before) => (globalThis as any).tryOn.canvas.toDataURL() !== before, first);
    expect(await page.getByRole('button', { name: run.result.frames[1].frame.name }).getAttribute('aria-pressed')).toBe('true');
    expect(await available(brand)).toBe(15);
  });
});

describe('contact lens try-on in the browser', () => {
  it('tints the irises towards the lens colour, leaves the skin alone, and recolours for free', async () => {
    const brand = await meteredBrand(api, { tokens: 20, apps: ['contact-lens-try-on'] });
    const run = await tryOn(await publishableKey(brand), 'contact-lens-try-on', { lensId: 'ocean-blue', opacity: 0.9 });
    expect(run.status).toBe(200);
    expect(await available(brand)).toBe(17);

    // The iris ring (outside the clear pupil, inside the iris edge) of both eyes.
    const ring = run.result.eyes.flatMap((e: any) =>
      [0, 45, 90, 135, 180, 225, 270, 315].map((deg) => {
        const rr = (e.pupilRadiusPx + e.radiusPx) / 2;
        return { x: e.centre.x + rr * Math.cos((deg * Math.PI) / 180), y: e.centre.y + rr * Math.sin((deg * Math.PI) / 180) * 0.5 };
      }),
    );
    const iris = await coloursAt(ring);
    expect(distanceTo(iris.after, '#2f7fd1')).toBeLessThan(distanceTo(iris.before, '#2f7fd1') - 20);
    // Skin under the lower lids and beside the eyes is outside the eyelid clip: unchanged.
    const skin = run.result.eyes.flatMap((e: any) => [
      { x: e.centre.x, y: e.centre.y + e.radiusPx + 4 },
      { x: e.centre.x, y: e.centre.y - e.radiusPx - 4 },
    ]);
    const around = await coloursAt(skin);
    expect(around.after).toEqual(around.before);
    const far = await changedPixels({ x: mid.x - eyeDistance, y: mid.y - eyeDistance / 2, w: 2 * eyeDistance, h: eyeDistance });
    expect(far.outside).toBe(0);

    // Another colour from the chooser: the irises turn green, no second charge.
    await page.getByRole('button', { name: 'Emerald' }).click();
    const green = await coloursAt(ring);
    expect(distanceTo(green.after, '#2e9b5f')).toBeLessThan(distanceTo(iris.after, '#2e9b5f'));
    expect(await available(brand)).toBe(17);
  });

  it('refuses a photo with several faces before charging', async () => {
    const brand = await meteredBrand(api, { tokens: 20, apps: ['contact-lens-try-on'] });
    const several = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/landmarks/screenshot-facedetect.json'), 'utf8'));
    const res = await fetch(`${api.url}/v1/apps/contact-lens-try-on/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': crypto.randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({ input: { landmarks: several, lensId: 'hazel' } }),
    });
    expect(res.status).toBe(422);
    expect(await available(brand)).toBe(20);
  });
});
