// The drawn frame images of virtual try-on, and the try-on apps running on their built-in engines.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { currentBalance } from '../../domain/metering/publish';
import { startApi, type TestApi } from '../support/api-server';
import { meteredBrand } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const landmarks = JSON.parse(readFileSync(`${__dirname}/../fixtures/landmarks/screenshot-faceid.json`, 'utf8'));

describe('GET /widget/frames/:drawing', () => {
  it('serves the drawing as SVG, cached for a year, readable from any storefront, unable to run anything', async () => {
    const res = await fetch(`${api.url}/widget/frames/cat-eye_black_tr90_52-20-136.svg`, { headers: { origin: 'https://shop.example.test' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 136 /);
  });

  it('answers 404 NOT_FOUND for a name that describes no frame', async () => {
    const res = await fetch(`${api.url}/widget/frames/cat-eye_plaid_tr90_52-20-136.svg`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('try-on runs without any upstream', () => {
  const run = (key: string, slug: string, input: unknown) =>
    fetch(`${api.url}/v1/apps/${slug}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({ input }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('places frames with the built-in engine and charges the app once', async () => {
    const b = await meteredBrand(api, { tokens: 20, apps: ['virtual-try-on', 'contact-lens-try-on'] });
    const frames = await run(b.apiKey, 'virtual-try-on', { landmarks, frameId: 'frm-004' });
    expect(frames.status).toBe(200);
    expect(frames.body).toMatchObject({ tokens: 5, result: { frames: expect.arrayContaining([expect.objectContaining({ frame: expect.objectContaining({ id: 'frm-004' }) })]) } });
    const lenses = await run(b.apiKey, 'contact-lens-try-on', { landmarks, lensId: 'hazel' });
    expect(lenses.status).toBe(200);
    expect(lenses.body.result).toMatchObject({ colour: '#8e6a32', opacity: 0.6 });
    expect((await currentBalance(api.deps.orm, api.deps.redis, b.customerId)).availableTokens).toBe(12);
  });

  it('refuses a photo without a face with its code, naming the field, before charging', async () => {
    const b = await meteredBrand(api, { tokens: 20, apps: ['virtual-try-on'] });
    const res = await run(b.apiKey, 'virtual-try-on', { landmarks: { kind: 'face-landmarks', version: 1, image: { width: 800, height: 600 }, faceCount: 0 } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('FACE_NOT_FOUND');
    expect((await currentBalance(api.deps.orm, api.deps.redis, b.customerId)).availableTokens).toBe(20);
  });
});
