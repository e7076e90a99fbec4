// The onboarding checklist follows the brand's real state, step by step, and the one fact only the
// browser reports (a copied snippet) is stored once, for any staff role, and refused with a clear
// 4xx when it names no app the brand can see.
import { demoPassword } from '../../domain/catalog/demo';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';
import { activateApps, consume, grant, reconcileNow } from '../support/metering';
import { putOnPlan } from '../support/brand';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const sql = (query: string, params: unknown[] = []) => api.deps.orm.em.getConnection().execute(query, params);


async function login(email: string, password = demoPassword) {
  const s = new Session(api.url);
  const res = await s.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return s;
}

const stepsOf = async (s: Session) => {
  const res = await s.get('/api/onboarding');
  expect(res.status).toBe(200);
  return res.body as { steps: { key: string; done: boolean; doneAt: string | null; slug: string | null }[]; complete: boolean };
};
const doneKeys = (o: Awaited<ReturnType<typeof stepsOf>>) => o.steps.filter((s) => s.done).map((s) => s.key);

describe('GET /api/onboarding', () => {
  it('starts a new brand with every step to do, in order', async () => {
    const { session } = await signUp(api.url);
    const o = await stepsOf(session);
    expect(o.complete).toBe(false);
    expect(o.steps).toEqual([
      { key: 'choose_plan', done: false, doneAt: null, slug: null },
      { key: 'activate_app', done: false, doneAt: null, slug: null },
      { key: 'configure_app', done: false, doneAt: null, slug: null },
      { key: 'copy_snippet', done: false, doneAt: null, slug: null },
      { key: 'first_call', done: false, doneAt: null, slug: null },
    ]);
  });

  it('ticks each step as the brand really does it, naming the app, until complete', async () => {
    const { session, user } = await signUp(api.url);
    const customerId = user.customerId as string;

    await putOnPlan(api.deps.orm, customerId, 'starter');
    let o = await stepsOf(session);
    expect(doneKeys(o)).toEqual(['choose_plan']);
    expect(o.steps[0]!.doneAt).toEqual(expect.any(String));
    // Nothing activated yet: the first app the plan includes is where to start.
    expect(o.steps[1]).toMatchObject({ done: false, slug: 'eyewear-recommendations' });

    await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator']);
    await sql("update customer_apps set activated_at = now() where customer_id = ? and status = 'active'", [customerId]);
    o = await stepsOf(session);
    expect(doneKeys(o)).toEqual(['choose_plan', 'activate_app']);
    expect(o.steps.slice(1).map((s) => s.slug)).toEqual(['pd-calculator', 'pd-calculator', 'pd-calculator', 'pd-calculator']);

    expect((await session.put('/api/apps/pd-calculator/configuration', { buttonText: 'Measure my PD' })).status).toBe(200);
    expect(doneKeys(await stepsOf(session))).toEqual(['choose_plan', 'activate_app', 'configure_app']);

    expect((await session.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' })).status).toBe(204);
    expect(doneKeys(await stepsOf(session))).toEqual(['choose_plan', 'activate_app', 'configure_app', 'copy_snippet']);

    // The storefront's first use, through a publishable key from its one allowed origin.
    await grant(api, customerId, 100);
    const origin = 'https://shop.onboarding.test';
    const key = await session.post('/api/api-keys', { name: 'storefront', kind: 'publishable', allowedOrigins: [origin] });
    expect(key.status).toBe(201);
    expect((await consume(api, key.body.secret ?? key.body.apiKey.publishableKey, { app: 'pd-calculator' }, undefined, { origin })).status).toBe(200);
    await reconcileNow(api, customerId);
    o = await stepsOf(session);
    expect(o.complete).toBe(true);
    expect(o.steps[4]).toMatchObject({ key: 'first_call', done: true, slug: 'pd-calculator', doneAt: expect.any(String) });
  });

  it('does not count a secret key’s use as the storefront’s first call', async () => {
    const { session, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['pd-calculator']);
    await grant(api, customerId, 100);
    const key = await session.post('/api/api-keys', { name: 'server' });
    expect((await consume(api, key.body.secret, { app: 'pd-calculator' })).status).toBe(200);
    await reconcileNow(api, customerId);
    expect((await stepsOf(session)).steps[4]).toMatchObject({ key: 'first_call', done: false });
  });

  it('is refused to an operator, who has no brand', async () => {
    const res = await (await login('operator@varai.test')).get('/api/onboarding');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('requires a session', async () => {
    const res = await new Session(api.url).get('/api/onboarding');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST /api/onboarding/snippet-copied', () => {
  it('stores the first copy only: a repeat answers 204 and keeps the first time', async () => {
    const { session } = await signUp(api.url);
    expect((await session.post('/api/onboarding/snippet-copied', { slug: 'virtual-try-on' })).status).toBe(204);
    const first = (await stepsOf(session)).steps[3]!;
    expect(first).toMatchObject({ done: true, slug: 'virtual-try-on' });
    const again = await session.post('/api/onboarding/snippet-copied', { slug: 'virtual-try-on' });
    expect(again.status).toBe(204);
    expect(again.body).toBe('');
    expect((await stepsOf(session)).steps[3]!.doneAt).toBe(first.doneAt);
  });

  it('accepts a viewer’s copy', async () => {
    const admin = await signUp(api.url);
    const email = uniqueEmail('viewer');
    await addMember(admin.session, { email, name: 'Vic Viewer', role: 'viewer', password: 'long-enough-pw' });
    const viewer = await login(email, 'long-enough-pw');
    expect((await viewer.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' })).status).toBe(204);
    expect((await stepsOf(admin.session)).steps[3]).toMatchObject({ done: true, slug: 'pd-calculator' });
  });

  it.each([
    ['no slug', {}, 'body.slug'],
    ['an empty slug', { slug: '  ' }, 'body.slug'],
    ['a slug over 64 characters', { slug: 'x'.repeat(65) }, 'body.slug'],
    ['a slug that is not a string', { slug: 42 }, 'body.slug'],
  ])('answers 422 VALIDATION_FAILED naming the field for %s', async (_name, body, path) => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/onboarding/snippet-copied', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path, message: expect.any(String) })]);
  });

  it('answers 404 UNKNOWN_APP naming body.slug for an app that does not exist, and stores nothing', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/onboarding/snippet-copied', { slug: 'no-such-app' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'body.slug' }, message: expect.stringContaining('no-such-app') });
    expect((await stepsOf(session)).steps[3]!.done).toBe(false);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const { session } = await signUp(api.url);
    const res = await session.post('/api/onboarding/snippet-copied', 'slug=pd-calculator', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('is refused to an operator, and to a cross-site page', async () => {
    const op = await login('operator@varai.test');
    const refused = await op.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const { session } = await signUp(api.url);
    const forged = await session.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CROSS_SITE_REQUEST');
  });
});
