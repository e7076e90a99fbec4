// CSRF: a page on another site must not be able to act with a brand user's session cookie.
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';
import { sameOriginRule } from '../../api/route';
import { concretePath, isMutating, routeKey } from './route-table';

const evil = 'https://evil.example';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const mutatingApiRoutes = () => api.routes.filter((r) => isMutating(r) && r.path.startsWith('/api/'));

describe('cookie-authenticated writes', () => {
  it('refuses a body-less POST sent from another site with 403 CROSS_SITE_REQUEST, and does nothing', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/auth/logout', undefined, { origin: evil });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
    expect((await session.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses a write that carries the cookie but neither Origin nor Sec-Fetch-Site', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/notifications/read-all', undefined, { origin: '' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
  });

  it('refuses Origin: null (sandboxed frames, data: pages)', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/notifications/read-all', undefined, { origin: 'null' })).status).toBe(403);
  });

  it('refuses a sibling subdomain, which SameSite=Lax lets the cookie ride from', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/notifications/read-all', undefined, { origin: '', 'sec-fetch-site': 'same-site' });
    expect(res.status).toBe(403);
  });

  it('accepts the portal: an Origin equal to the address the request was sent to', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/notifications/read-all')).status).toBe(200);
  });

  it('accepts Sec-Fetch-Site: same-origin when the Origin header is absent', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/notifications/read-all', undefined, { origin: '', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses a cross-site write on every mutating /api route of the route table, before any session is read', async () => {
    const answers: Record<string, string> = {};
    for (const route of mutatingApiRoutes()) {
      const res = await new Session(api.url).request(route.method.toUpperCase(), concretePath(route.path), {}, { origin: evil });
      answers[routeKey(route)] = `${res.status} ${res.body?.error?.code}`;
    }
    expect(Object.values(answers).every((a) => a === '403 CROSS_SITE_REQUEST')).toBe(true);
    expect(Object.keys(answers).length).toBeGreaterThan(20);
  });

  it('requires a same-origin proof on every mutating /api route but login and sign-up', () => {
    const loose = mutatingApiRoutes().filter((r) => sameOriginRule(r) !== 'required').map(routeKey).sort();
    expect(loose).toEqual(['POST /api/auth/login', 'POST /api/auth/signup']);
  });
});

describe('login CSRF', () => {
  it('refuses a login posted from another site', async () => {
    const res = await new Session(api.url).post('/api/auth/login', { email: uniqueEmail('x'), password: 'whatever-it-is' }, { origin: evil });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
  });

  it('refuses a sign-up posted from another site', async () => {
    const body = { brandName: 'Forged Optics', name: 'F', email: uniqueEmail('f'), password: 'long-enough-pw' };
    expect((await new Session(api.url).post('/api/auth/signup', body, { 'sec-fetch-site': 'cross-site', origin: '' })).status).toBe(403);
  });

  it('lets a client without Origin (a script, curl) log in', async () => {
    const { user, password } = await signUp(api.url);
    expect((await new Session(api.url).post('/api/auth/login', { email: user.email, password }, { origin: '' })).status).toBe(200);
  });
});

describe('what stays outside', () => {
  it('does not apply the check to /v1, whose credential is an API key, not a cookie', async () => {
    const res = await new Session(api.url).post('/v1/consume', { app: 'pd-calculator' }, { origin: evil, authorization: 'Bearer vk_nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_API_KEY');
  });

  it('does not apply the check to the Stripe webhook, which Stripe signs', async () => {
    const res = await new Session(api.url).post('/webhooks/stripe', '{}', { origin: evil, 'stripe-signature': 't=1,v1=bad' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });
});

describe('the configured public URL', () => {
  let behindProxy: TestApi;
  beforeAll(async () => {
    behindProxy = await startApi({ PUBLIC_URL: 'https://portal.varai.example' });
  });
  afterAll(() => behindProxy.close());

  it('counts as same origin even when the Host the API sees differs (a proxy in front)', async () => {
    const { session } = await signUp(behindProxy.url);
    expect((await session.post('/api/notifications/read-all', undefined, { origin: 'https://portal.varai.example' })).status).toBe(200);
  });
});
