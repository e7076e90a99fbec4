// A dependency that cannot be reached is a state to wait out, not a bug: the API answers 503
// SERVICE_UNAVAILABLE with Retry-After and the error envelope, never a bare 500. Each API here
// is pointed at a port nothing listens on, as when PostgreSQL or Redis is restarting.
import { isDependencyUnavailable } from '../../domain/infra/unavailable';
import { startApi, type TestApi } from '../support/api-server';
import { uniqueEmail } from '../support/http';
import { meteredBrand } from '../support/metering';
import { freePort } from '../support/ports';

const opened: TestApi[] = [];
afterAll(async () => {
  for (const api of opened) await api.close().catch(() => undefined);
});

async function apiWith(overrides: Record<string, string>): Promise<TestApi> {
  const api = await startApi(overrides);
  opened.push(api);
  return api;
}

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    body: (await r.json()) as { error?: { code: string; requestId: string } },
  }));

describe('a dependency that cannot be reached', () => {
  it('answers a consume 503 SERVICE_UNAVAILABLE with Retry-After when Redis is down', async () => {
    const healthy = await apiWith({});
    const brand = await meteredBrand(healthy, { tokens: 100 });
    const api = await apiWith({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const res = await post(api.url, '/v1/consume', { app: 'pd-calculator' }, { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': 'redis-down-1' });
    expect({ status: res.status, code: res.body.error?.code, retryAfter: res.retryAfter }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '1' });
    expect(res.body.error?.requestId).toEqual(expect.any(String));
  });

  it('answers a sign-up 503 SERVICE_UNAVAILABLE with Retry-After when PostgreSQL is down', async () => {
    const api = await apiWith({ DATABASE_URL: `postgresql://varai:varai@127.0.0.1:${await freePort()}/varai` });
    const res = await post(api.url, '/api/auth/signup', { brandName: 'Down', name: 'D', email: uniqueEmail('down'), password: 'correct-horse-battery' });
    expect({ status: res.status, code: res.body.error?.code, retryAfter: res.retryAfter }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '1' });
  });

  it('answers a consume 503 SERVICE_UNAVAILABLE when PostgreSQL is down and the key is not cached yet', async () => {
    const healthy = await apiWith({});
    const brand = await meteredBrand(healthy, { tokens: 100 });
    const api = await apiWith({ DATABASE_URL: `postgresql://varai:varai@127.0.0.1:${await freePort()}/varai` });
    const res = await post(api.url, '/v1/consume', { app: 'pd-calculator' }, { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': 'pg-down-1' });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['PostgreSQL shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['PostgreSQL starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a node-postgres connection that ended', new Error('Connection terminated unexpectedly')],
    ['the next query of a transaction whose connection died', Object.assign(new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'), { name: 'DriverException' })],
    ['ioredis out of retries', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })],
    ['a wrapped cause', new Error('query failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })],
  ])('recognises %s', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
  ])('does not mistake %s for an outage', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(false);
  });
});
