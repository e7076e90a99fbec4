// A sweep of every route: whatever a client sends, the answer is a 4xx with the error envelope,
// never a 500. The routes are read from the app itself, so a new route joins every sweep.
import { randomUUID } from 'node:crypto';
import { demoPassword } from '../../domain/catalog/demo';
import { declaredRoutes } from '../../scripts/lib/openapi-spec';
import { startApi, type TestApi } from '../support/api-server';
import { Session, uniqueEmail } from '../support/http';
import { meteredBrand, type MeteredBrand } from '../support/metering';

let api: TestApi;
let admin: Session;
let operator: Session;
let brand: MeteredBrand;
beforeAll(async () => {
  api = await startApi();
  admin = new Session(api.url);
  await admin.post('/api/auth/login', { email: 'admin@demo.varai.test', password: demoPassword });
  operator = new Session(api.url);
  await operator.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword });
  brand = await meteredBrand(api, { tokens: 1_000 });
});
afterAll(() => api.close());

const junk: unknown[] = [
  null, [], 'text', 42, true, {}, { email: null, password: null }, { email: ['a@b.c'], password: { $gt: '' } },
  { email: 'a@b.c', password: 'x'.repeat(5_000) }, { brandName: '', name: '', email: '', password: '' },
  { email: '\u0000@\u0000', password: '\ud800' }, { role: 'operator', email: 'x@y.z', name: 'n', password: 'long-enough-pw' },
  { __proto__: { admin: true }, constructor: { prototype: {} } },
];

// Every route that takes a body, read from the app itself, so new routes join the sweep.
const routesWithBodies = declaredRoutes()
  .filter((r) => r.body)
  .map((r) => [r.method.toUpperCase(), r.path.replace(/:\w+/g, 'virtual-try-on')] as const);

describe('bad input', () => {
  it('covers at least the auth and team routes', () => {
    expect(routesWithBodies.map(([, path]) => path)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/auth/login', '/api/team/invitations']));
  });

  it.each(routesWithBodies)('answers every malformed body on %s %s with a 4xx and an error code', async (method, path) => {
    const answers = [];
    for (const body of junk) {
      const res = await admin.request(method, path, body === null ? 'null' : body);
      answers.push({ body, status: res.status, code: res.body?.error?.code });
    }
    expect(answers.filter((a) => a.status < 400 || a.status >= 500 || typeof a.code !== 'string')).toEqual([]);
  });

  it('refuses an operator role on an invitation, naming the field', async () => {
    const res = await admin.post('/api/team/invitations', { role: 'operator', email: 'op@example.test' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.role']);
  });
});

/** JSON text nested `depth` levels under `probe`; built as text, since JSON.stringify itself overflows at such depths. */
const nested = (depth: number, key = 'probe') => `{"${key}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

const fieldsOf = (res: { body: any }) => (res.body?.error?.details?.fields ?? []).map((f: { path: string }) => f.path);

/** The same request as the route's intended caller: a brand admin, an operator, or a brand's API key. */
function caller(access: string): { session: Session; headers: Record<string, string> } {
  if (access === 'operate') return { session: operator, headers: {} };
  if (access === 'apiKey') return { session: new Session(api.url), headers: { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': randomUUID() } };
  return { session: brand.admin, headers: {} };
}

/** Path parameters filled with names that pass their own checks, so only the probe is wrong. */
const validPath = (path: string) => path.replace(/:slug/g, 'virtual-try-on').replace(/:\w+/g, randomUUID());

const everyRoute = declaredRoutes().map((r) => [r.method.toUpperCase(), r.path, r.access as string, Boolean(r.body)] as const);

describe('a NUL character in a stored string (PostgreSQL refuses it in text)', () => {
  it.each([
    ['/api/api-keys', { name: 'key\u0000name' }, 'body.name'],
    ['/api/invitations/any-token/accept', { name: 'Nul\u0000Member', password: 'long-enough-pw' }, 'body.name'],
  ])('answers POST %s with 422 naming the field', async (path, body, field) => {
    const res = await brand.admin.post(path, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual([field]);
  });

  it.each([['name'], ['brandName']])('answers a sign-up with a NUL in %s with 422 naming it', async (field) => {
    const body: Record<string, string> = { brandName: 'Nul Optics', name: 'Nul Admin', email: uniqueEmail('nul'), password: 'long-enough-pw' };
    body[field] = `a\u0000b`;
    const res = await new Session(api.url).post('/api/auth/signup', body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual([`body.${field}`]);
  });

  it('answers a configuration whose buttonText holds a NUL with 422 naming it', async () => {
    const res = await brand.admin.put('/api/apps/pd-calculator/configuration', { buttonText: 'Try\u0000on' });
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['body.buttonText']);
  });

  it('answers a NUL in a JSON key or in /v1 metadata with 422, and charges nothing', async () => {
    const before = await api.deps.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from token_usage where customer_id = ?', [brand.customerId]);
    for (const metadata of [{ 'k\u0000': 1 }, { note: 'a\u0000b' }]) {
      const res = await caller('apiKey').session.post('/v1/consume', { app: 'virtual-try-on', metadata }, caller('apiKey').headers);
      expect(res.status).toBe(422);
      expect(fieldsOf(res)[0]).toMatch(/^body\.metadata/);
    }
    const after = await api.deps.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from token_usage where customer_id = ?', [brand.customerId]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('a NUL character in a path parameter', () => {
  it.each([
    ['GET', '/api/apps/abc%00def'],
    ['POST', '/api/apps/abc%00def/activate'],
    ['POST', '/api/apps/abc%00def/deactivate'],
  ])('answers %s %s with 404', async (method, path) => {
    const res = await brand.admin.request(method, path);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toEqual(expect.any(String));
  });

  it.each([['GET'], ['PUT'], ['DELETE']])('answers the operator’s beta-customers routes (%s) with 404', async (method) => {
    const path = method === 'GET' ? '/api/operator/apps/abc%00def/beta-customers' : `/api/operator/apps/abc%00def/beta-customers/${brand.customerId}`;
    const res = await operator.request(method, path);
    expect(res.status).toBe(404);
  });
});

describe('deeply nested JSON on /v1', () => {
  it.each([[1_000], [5_000], [10_000]])('answers metadata nested %i levels with 422 naming the field, before the size check', async (depth) => {
    const body = `{"app":"virtual-try-on","metadata":${nested(depth, 'm').slice(5, -1)}}`;
    const res = await caller('apiKey').session.post('/v1/consume', body, caller('apiKey').headers);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res)[0]).toMatch(/^body\.metadata(\.a)+$/);
  });

  it('answers a run whose input is nested 5,000 levels with 422', async () => {
    const { session, headers } = caller('apiKey');
    const res = await session.post('/v1/apps/virtual-try-on/run', `{"input":${nested(5_000).slice(9, -1)}}`, headers);
    expect(res.status).toBe(422);
    expect(fieldsOf(res)[0]).toMatch(/^body\.input/);
  });
});

describe('the sweep of every route, each called as its intended caller', () => {
  it('reaches the brand, operator and API-key routes', () => {
    expect(everyRoute.map(([, , access]) => access)).toEqual(expect.arrayContaining(['operate', 'apiKey', 'administer', 'public']));
  });

  const withParams = everyRoute.filter(([, path]) => path.includes(':'));
  it.each(withParams)('answers %s %s with a NUL in each path parameter with 404', async (method, path, access) => {
    const { session, headers } = caller(access);
    const answers = [];
    for (const param of path.match(/:\w+/g) ?? []) {
      const url = validPath(path.replace(param, 'abc%00def'));
      const res = await session.request(method, url, method === 'GET' ? undefined : {}, headers);
      answers.push({ param, status: res.status, code: res.body?.error?.code });
    }
    expect(answers.filter((a) => a.status !== 404 || typeof a.code !== 'string')).toEqual([]);
  });

  it.each(everyRoute)('answers %s %s with a NUL in the query with 422 naming it', async (method, path, access) => {
    const { session, headers } = caller(access);
    const res = await session.request(method, `${validPath(path)}?probe=a%00b`, method === 'GET' ? undefined : {}, headers);
    expect({ status: res.status, fields: fieldsOf(res) }).toEqual({ status: 422, fields: ['query.probe'] });
  });

  const withBodies = everyRoute.filter(([, , , body]) => body);
  it.each(withBodies)('answers %s %s with a NUL in the body with 422 naming it', async (method, path, access) => {
    const { session, headers } = caller(access);
    const res = await session.request(method, validPath(path), { probe: 'a\u0000b' }, headers);
    expect({ status: res.status, fields: fieldsOf(res) }).toEqual({ status: 422, fields: ['body.probe'] });
  });

  it.each(withBodies)('answers %s %s with a body nested 5,000 levels with 422', async (method, path, access) => {
    const { session, headers } = caller(access);
    const res = await session.request(method, validPath(path), nested(5_000), headers);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 422, code: 'VALIDATION_FAILED' });
  });
});
