// GET /api/apps/:slug/first-call on the real stack: a storefront's first use of an app through a
// publishable key (live or test) is seen with its origin; a secret key's use is not a storefront's.
import { randomUUID } from 'node:crypto';
import { firstWidgetCall } from '../../domain/catalog/first-call';
import { startApi, type TestApi } from '../support/api-server';
import { brandOnPlan, memberOf, type PlannedBrand } from '../support/brand';
import { Session } from '../support/http';
import { activateApps, consume, grant } from '../support/metering';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const storefront = 'https://shop.example';

async function publishableKey(b: PlannedBrand, mode: 'live' | 'test', origins = [storefront]): Promise<string> {
  const res = await b.admin.post('/api/api-keys', { name: `storefront ${mode}`, kind: 'publishable', mode, allowedOrigins: origins });
  expect(res.status).toBe(201);
  return res.body.secret as string;
}

async function liveBrand(): Promise<PlannedBrand> {
  const b = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await activateApps(api.deps.orm, api.deps.redis, b.customerId, ['pd-calculator']);
  await grant(api, b.customerId, 1_000);
  return b;
}

const firstCallOf = async (s: Session, slug = 'pd-calculator') => {
  const res = await s.get(`/api/apps/${slug}/first-call`);
  expect(res.status).toBe(200);
  return res.body as { firstCallAt: string | null; origin: string | null; mode: string | null };
};

/** The record is written just after the answer: wait for it as the page's poll would. */
async function waitForFirstCall(s: Session, slug = 'pd-calculator') {
  const until = Date.now() + 5_000;
  for (;;) {
    const seen = await firstCallOf(s, slug);
    if (seen.firstCallAt !== null || Date.now() > until) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/apps/:slug/first-call', () => {
  it('answers nulls before any storefront call', async () => {
    const b = await liveBrand();
    expect(await firstCallOf(b.admin)).toEqual({ firstCallAt: null, origin: null, mode: null });
  });

  it('shows the first live call from the storefront, with its origin, and keeps the first one', async () => {
    const b = await liveBrand();
    const key = await publishableKey(b, 'live');
    const before = Date.now();
    expect((await consume(api, key, { app: 'pd-calculator' }, randomUUID(), { origin: storefront })).status).toBe(200);
    const first = await waitForFirstCall(b.admin);
    expect(first).toMatchObject({ origin: storefront, mode: 'live' });
    expect(Date.parse(first.firstCallAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect((await consume(api, key, { app: 'pd-calculator' }, randomUUID(), { origin: storefront })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await firstCallOf(b.admin)).toEqual(first);
  });

  it('sees a test key’s call, which never reaches token_usage', async () => {
    const b = await brandOnPlan(api.url, api.deps.orm, null);
    const key = await publishableKey(b, 'test');
    const res = await consume(api, key, { app: 'pd-calculator' }, randomUUID(), { origin: storefront });
    expect(res.status).toBe(200);
    expect(res.body.testMode).toBe(true);
    expect(await waitForFirstCall(b.admin)).toMatchObject({ origin: storefront, mode: 'test' });
  });

  it('sees a gateway run through a publishable key as well', async () => {
    const b = await brandOnPlan(api.url, api.deps.orm, null);
    const key = await publishableKey(b, 'test');
    const res = await fetch(`${api.url}/v1/apps/pd-calculator/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json', origin: storefront },
      body: JSON.stringify({ input: { leftPupil: { x: 412, y: 388 }, rightPupil: { x: 727, y: 391 }, reference: { kind: 'card', widthPx: 428 } } }),
    });
    expect(res.status).toBe(200);
    expect(await waitForFirstCall(b.admin)).toMatchObject({ origin: storefront, mode: 'test' });
  });

  it('does not count a server’s secret key, nor a call refused for its origin', async () => {
    const b = await liveBrand();
    const secret = await b.admin.post('/api/api-keys', { name: 'server', kind: 'secret', mode: 'live' });
    expect((await consume(api, secret.body.secret, { app: 'pd-calculator' })).status).toBe(200);
    const key = await publishableKey(b, 'live');
    expect((await consume(api, key, { app: 'pd-calculator' }, randomUUID(), { origin: 'https://elsewhere.example' })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(await firstCallOf(b.admin)).toEqual({ firstCallAt: null, origin: null, mode: null });
  });

  it('gives the earliest app for the onboarding check when asked for any app', async () => {
    const b = await liveBrand();
    const key = await publishableKey(b, 'live');
    expect(await firstWidgetCall(api.deps.orm.em.fork(), b.customerId, null)).toBeNull();
    expect((await consume(api, key, { app: 'pd-calculator' }, randomUUID(), { origin: storefront })).status).toBe(200);
    await waitForFirstCall(b.admin);
    expect(await firstWidgetCall(api.deps.orm.em.fork(), b.customerId, null)).toMatchObject({ origin: storefront, mode: 'live' });
  });

  it('answers 404 UNKNOWN_APP for an unknown slug', async () => {
    const b = await liveBrand();
    const res = await b.admin.get('/api/apps/no-such-app/first-call');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'params.slug' } });
  });

  it('lets a viewer read it, and refuses a request without a session with 401', async () => {
    const b = await liveBrand();
    const viewer = await memberOf(api.url, b.admin, 'viewer');
    expect((await viewer.session.get('/api/apps/pd-calculator/first-call')).status).toBe(200);
    expect((await new Session(api.url).get('/api/apps/pd-calculator/first-call')).status).toBe(401);
  });
});
