// The page the portal frames as its live widget preview: framed only by our own origin, allowed
// to run only our own script and to connect nowhere, and carrying the widget in preview mode.
import { startApi, type TestApi } from '../support/api-server';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const csp = (header: string | null) =>
  new Map((header ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));

describe('GET /preview/widget/:slug', () => {
  it('serves the real widget script in preview mode for the app', async () => {
    const res = await fetch(`${api.url}/preview/widget/frame-finder`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/widget.js" data-varai-app="frame-finder" data-varai-preview></script>');
  });

  it('may be framed by our own origin only', async () => {
    const res = await fetch(`${api.url}/preview/widget/frame-finder`);
    expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('runs only our own scripts and connects nowhere, so a preview can never call /v1', async () => {
    const policy = csp((await fetch(`${api.url}/preview/widget/frame-finder`)).headers.get('content-security-policy'));
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.get('script-src')).toBe("'self'");
    expect(policy.get('connect-src')).toBe("'none'");
    expect(policy.get('form-action')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
  });

  it('keeps the other hardening headers, and is not stored', async () => {
    const res = await fetch(`${api.url}/preview/widget/frame-finder`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown app with 404 UNKNOWN_APP, and that answer may not be framed', async () => {
    const res = await fetch(`${api.url}/preview/widget/teleporter`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'params.slug' } });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'none'");
  });

  it('leaves every other page unframeable', async () => {
    for (const p of ['/', '/api/apps', '/widget.js']) {
      const res = await fetch(`${api.url}${p}`);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'none'");
    }
  });
});
