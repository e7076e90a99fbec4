// The embeddable widget's server side: the script, the configuration it renders from, CORS for
// storefront origins, and the local demo storefront.
import { defaultConfiguration } from '../../domain/catalog/app-settings';
import { compact } from '../../api/widget/script';
import { startApi, type TestApi } from '../support/api-server';
import { meteredBrand, type MeteredBrand } from '../support/metering';

let api: TestApi;
let brand: MeteredBrand;
beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { apps: ['pd-calculator'] });
});
afterAll(() => api.close());

const storefront = 'https://shop.example.test';

async function get(path: string, headers: Record<string, string> = {}, target = api) {
  const res = await fetch(target.url + path, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

const widgetConfig = (slug: string, key: string | null = brand.apiKey) =>
  get(`/v1/widget-config/${slug}`, key === null ? {} : { authorization: `Bearer ${key}` });

describe('GET /widget.js', () => {
  it('serves the script as cacheable JavaScript with an ETag', async () => {
    const res = await get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.text).toContain('data-varai-app');
  });

  it('stays under 8 KB', async () => {
    const res = await get('/widget.js');
    expect(Buffer.byteLength(res.text)).toBeLessThan(8_192);
  });

  it('grows only a little for the photo apps: their dialog and face runtime load on first click', async () => {
    const { gzipSync } = await import('node:zlib');
    const res = await get('/widget.js');
    // 2,984 bytes gzipped before the photo apps; the dialog itself is photo-dialog.js.
    expect(gzipSync(res.text).length).toBeLessThan(3_200);
    expect(res.text).not.toContain('getUserMedia');
  });

  it('serves the file without indentation or whole-line comments, still valid JavaScript', async () => {
    const res = await get('/widget.js');
    expect(res.text).not.toMatch(/^\s+\S/m);
    expect(res.text).not.toMatch(/^\/\//m);
    expect(() => new Function(res.text)).not.toThrow();
    expect(compact('  a();\n\n  // why\n    b("  x  ");\n')).toBe('a();\nb("  x  ");');
  });

  it('answers 304 without a body when the ETag is current', async () => {
    const first = await get('/widget.js');
    // As a browser revalidates; fetch alone would add `cache-control: no-cache`, which forces a 200.
    const res = await get('/widget.js', { 'if-none-match': first.headers.get('etag')!, 'cache-control': 'max-age=0' });
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
  });

  it('answers 200 again for a stale ETag', async () => {
    const res = await get('/widget.js', { 'if-none-match': '"stale"', 'cache-control': 'max-age=0' });
    expect(res.status).toBe(200);
  });
});

describe('GET /v1/widget-config/:slug', () => {
  it('refuses a request without an API key with 401 INVALID_API_KEY', async () => {
    const res = await widgetConfig('pd-calculator', null);
    expect(res.status).toBe(401);
    expect(res.json().error.code).toBe('INVALID_API_KEY');
  });

  it('refuses an unknown key with 401 INVALID_API_KEY', async () => {
    const res = await widgetConfig('pd-calculator', 'vk_not_a_real_key');
    expect(res.status).toBe(401);
    expect(res.json().error.code).toBe('INVALID_API_KEY');
  });

  it('refuses an app the brand has not activated with 403 APP_NOT_ACTIVE', async () => {
    const res = await widgetConfig('virtual-try-on');
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('APP_NOT_ACTIVE');
  });

  it('refuses an app outside the key scope with 403 KEY_NOT_ALLOWED_FOR_APP', async () => {
    const scoped = await meteredBrand(api, { apps: ['pd-calculator', 'virtual-try-on'], scopes: ['virtual-try-on'] });
    const res = await widgetConfig('pd-calculator', scoped.apiKey);
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('KEY_NOT_ALLOWED_FOR_APP');
  });

  it('answers an unknown app with 404 UNKNOWN_APP', async () => {
    const res = await widgetConfig('no-such-app');
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe('UNKNOWN_APP');
  });

  it('answers the defaults for an app never configured', async () => {
    const res = await widgetConfig('pd-calculator');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ app: 'pd-calculator', name: 'PD Calculator', costTokens: 1, configuration: defaultConfiguration('pd-calculator'), photo: true });
  });

  it("merges the brand's saved configuration over the defaults", async () => {
    const own = await meteredBrand(api, { apps: ['pd-calculator'] });
    const saved = await own.admin.request('PUT', '/api/apps/pd-calculator/configuration', {
      placement: 'floating-button',
      buttonText: 'Check my PD',
      theme: { primary: '#aa0000' },
    });
    expect(saved.status).toBe(200);

    const res = await widgetConfig('pd-calculator', own.apiKey);
    const defaults = defaultConfiguration('pd-calculator') as { theme: Record<string, string> };
    expect(res.json().configuration).toEqual({
      ...defaults,
      placement: 'floating-button',
      buttonText: 'Check my PD',
      theme: { ...defaults.theme, primary: '#aa0000' },
    });
  });
});

describe('CORS for storefronts', () => {
  it('answers a preflight of /v1/consume with 204 and the allowed headers', async () => {
    const res = await fetch(`${api.url}/v1/consume`, {
      method: 'OPTIONS',
      headers: { origin: storefront, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, idempotency-key, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'idempotency-key']);
  });

  it('lets a storefront read an error answer of /v1', async () => {
    const res = await widgetConfig('pd-calculator', null);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows any origin to load /widget.js', async () => {
    const res = await get('/widget.js', { origin: storefront });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives the cookie-authenticated portal API no CORS headers', async () => {
    const res = await get('/api/apps', { origin: storefront });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET /demo/storefront', () => {
  it('embeds the snippet with the key and app from the query, HTML-escaped', async () => {
    const key = 'vk_"><script>alert(1)</script>';
    const res = await get(`/demo/storefront?key=${encodeURIComponent(key)}&app=pd-calculator`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain(`<script src="${api.url}/widget.js" data-varai-key="vk_&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" data-varai-app="pd-calculator"`);
    expect(res.text).not.toContain('<script>alert(1)');
  });

  it('gives pd-calculator a typed-in input that works out of the box with input=example', async () => {
    const res = await get(`/demo/storefront?key=${encodeURIComponent(brand.apiKey)}&app=pd-calculator&input=example`);
    const input = /data-varai-input="([^"]*)"/.exec(res.text)?.[1]?.replace(/&quot;/g, '"');
    expect(JSON.parse(input!)).toEqual({ leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } });
  });

  it('answers 404 in production', async () => {
    // What production must set to start at all (domain/infra/config.ts refuses public defaults).
    const production = await startApi({ NODE_ENV: 'production', STRIPE_API_BASE: '', STRIPE_SECRET_KEY: 'rk_live_51Example', STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef', COOKIE_SECURE: 'true', PASSWORD_HASH_MEMORY_KIB: '19456' });
    try {
      const res = await get(`/demo/storefront?key=${encodeURIComponent(brand.apiKey)}&app=pd-calculator`, {}, production);
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await production.close();
    }
  });
});
