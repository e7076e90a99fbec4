// Browser hardening headers on every kind of answer: portal, API, errors, and what storefronts load.
import { startApi, type TestApi } from '../support/api-server';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const head = async (path: string, base = api.url) => (await fetch(base + path, { redirect: 'manual' })).headers;

const csp = (h: Headers) =>
  Object.fromEntries(
    (h.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );

const everyKind = ['/', '/billing', '/api/auth/me', '/api/apps', '/health', '/openapi.json', '/no-such-route', '/api/no-such-route', '/widget.js', '/v1/widget-config/pd-calculator'];

describe('every answer', () => {
  it.each(everyKind)('%s forbids framing and sniffing and keeps the referrer on our origin', async (path) => {
    const h = await head(path);
    expect(csp(h)['frame-ancestors']).toEqual(["'none'"]);
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('same-origin');
  });

  it('sends no HSTS over plain http without COOKIE_SECURE (a local stack)', async () => {
    expect((await head('/')).get('strict-transport-security')).toBeNull();
  });
});

describe('the portal', () => {
  it('runs only scripts and styles from its own origin: no inline code, no eval', async () => {
    const policy = csp(await head('/'));
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(JSON.stringify(policy)).not.toMatch(/unsafe/);
  });

  it('is same-origin only for other sites (resource and opener policies)', async () => {
    const h = await head('/');
    expect(h.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});

describe('what storefronts load from other origins', () => {
  it.each(['/widget.js', '/v1/widget-config/pd-calculator'])('%s stays loadable cross-origin', async (path) => {
    const h = await head(path);
    expect(h.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(h.get('access-control-allow-origin')).toBe('*');
    expect(h.get('cross-origin-opener-policy')).toBeNull();
  });

  it('gives the demo storefront a policy that runs the widget from us and nothing else', async () => {
    const policy = csp(await head('/demo/storefront?key=vk_demo'));
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });
});

describe('behind TLS', () => {
  let secure: TestApi;
  beforeAll(async () => {
    secure = await startApi({ COOKIE_SECURE: 'true' });
  });
  afterAll(() => secure.close());

  it('sends HSTS when COOKIE_SECURE says the deployment is https', async () => {
    expect((await head('/', secure.url)).get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect((await head('/api/auth/me', secure.url)).get('strict-transport-security')).toMatch(/^max-age=31536000/);
  });
});
