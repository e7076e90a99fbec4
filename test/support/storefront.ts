// What the widget tests share: Chromium launched as the guide prescribes, the face photos that
// ship with the landmark runtime, a publishable key for the test API's own origin (the demo
// storefront's), and a second widget snippet on the same product page.
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApi } from './api-server';
import type { MeteredBrand } from './metering';

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, never a downloaded one; `extra` adds flags such as a fake camera. */
export const launchChromium = (extra: string[] = []): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, ...extra] });

const samples = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'assets');

/** One face, and four (a photo the widget must refuse). */
export const samplePhotos = {
  onePerson: path.join(samples, 'screenshot-faceid.jpg'),
  fourPeople: path.join(samples, 'screenshot-facedetect.jpg'),
};

/** A publishable key allowed on the test API's origin, where the demo storefront is served. */
export async function storefrontKey(api: TestApi, brand: MeteredBrand): Promise<string> {
  const created = await brand.admin.post('/api/api-keys', { name: 'storefront', kind: 'publishable', allowedOrigins: [api.url] }, { origin: api.url });
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.secret as string;
}

/** Another app's widget beside the storefront's own, as a second snippet on the same page. */
export async function addWidgetSnippet(page: Page, key: string, app: string): Promise<void> {
  await page.evaluate(
    ([k, a]) => {
      const d = (globalThis as any).document;
      const s = d.createElement('script');
      s.src = '/widget.js';
      s.dataset.varaiKey = k;
      s.dataset.varaiApp = a;
      d.body.appendChild(s);
    },
    [key, app] as const,
  );
}
