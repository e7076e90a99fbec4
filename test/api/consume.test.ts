// POST /v1/consume against the real API, Redis and PostgreSQL: the contract, row by row.
import { randomUUID } from 'node:crypto';
import { meteringKeys } from '../../domain/metering/keys';
import { startApi, type TestApi } from '../support/api-server';
import { waitFor } from '../support/wait';
import { signUp } from '../support/http';
import { activateApps, consume, grant, ledgerRows, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';

let api: TestApi;
let brand: MeteredBrand;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 1_000, apps: ['pd-calculator', 'virtual-try-on', 'face-shape-analysis'] });
});
afterAll(() => api.close());

describe('POST /v1/consume', () => {
  it('debits the app cost and answers the remaining balance', async () => {
    const b = await meteredBrand(api, { tokens: 20 });
    const res = await consume(api, b.apiKey, { app: 'virtual-try-on' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ usageId: expect.any(String), app: 'virtual-try-on', tokens: 5, remainingTokens: 15, replayed: false });
  });

  it('replays the first result for a repeated idempotency key, debiting nothing', async () => {
    const b = await meteredBrand(api, { tokens: 20 });
    const key = randomUUID();
    const first = await consume(api, b.apiKey, { app: 'pd-calculator', sessionId: 's1' }, key);
    await consume(api, b.apiKey, { app: 'pd-calculator' });
    const again = await consume(api, b.apiKey, { sessionId: 's1', app: 'pd-calculator' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    await reconcileNow(api, b.customerId);
    expect(await ledgerRows(api.deps.orm, b.customerId)).toEqual({ count: 2, sum: -2 });
  });

  it('replays from PostgreSQL once Redis no longer holds the key (no replay window)', async () => {
    const b = await meteredBrand(api, { tokens: 20 });
    const key = randomUUID();
    const first = await consume(api, b.apiKey, { app: 'pd-calculator' }, key);
    await reconcileNow(api, b.customerId);
    await api.deps.redis.del(meteringKeys(b.customerId).idempotency(key));
    const again = await consume(api, b.apiKey, { app: 'pd-calculator' }, key);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    const reused = await consume(api, b.apiKey, { app: 'virtual-try-on' }, key);
    expect(reused.status).toBe(409);
    expect((await ledgerRows(api.deps.orm, b.customerId)).count).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for the same key with a different body', async () => {
    const key = randomUUID();
    await consume(api, brand.apiKey, { app: 'pd-calculator' }, key);
    const res = await consume(api, brand.apiKey, { app: 'pd-calculator', sessionId: 'other' }, key);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { field: 'header.idempotency-key' } });
  });

  it('answers 402 INSUFFICIENT_TOKENS with the balance and the cost, debiting nothing', async () => {
    const b = await meteredBrand(api, { tokens: 4 });
    const res = await consume(api, b.apiKey, { app: 'virtual-try-on' });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_TOKENS', details: { remainingTokens: 4, costTokens: 5 } });
    const ok = await consume(api, b.apiKey, { app: 'pd-calculator' });
    expect(ok.body.remainingTokens).toBe(3);
  });

  it('answers 402 PAYMENT_REQUIRED while the brand is suspended', async () => {
    const b = await meteredBrand(api, { tokens: 50 });
    await api.deps.orm.em.getConnection().execute(`insert into customer_billing (customer_id, status, updated_at) values (?, 'suspended', now()) on conflict (customer_id) do update set status = 'suspended'`, [b.customerId]);
    await grant(api, b.customerId, 1); // any grant or status change drops the cached balance
    const res = await consume(api, b.apiKey, { app: 'pd-calculator' });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('PAYMENT_REQUIRED');
  });

  it('answers 401 INVALID_API_KEY for a missing, malformed, unknown or revoked key', async () => {
    const b = await meteredBrand(api, { tokens: 10 });
    expect((await consume(api, null, { app: 'pd-calculator' })).body.error.code).toBe('INVALID_API_KEY');
    expect((await consume(api, 'not-a-key', { app: 'pd-calculator' })).status).toBe(401);
    const unknown = `vk_abcdefghijkl_${'A'.repeat(43)}`;
    expect((await consume(api, unknown, { app: 'pd-calculator' })).status).toBe(401);
    const keys = await b.admin.get('/api/api-keys');
    expect((await b.admin.request('DELETE', `/api/api-keys/${keys.body.apiKeys[0].id}`)).status).toBe(200);
    const revoked = await consume(api, b.apiKey, { app: 'pd-calculator' });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('INVALID_API_KEY');
  });

  it('answers 403 APP_NOT_ACTIVE for an app the brand has not activated, or deactivated', async () => {
    const b = await meteredBrand(api, { tokens: 10, apps: ['pd-calculator'] });
    expect((await consume(api, b.apiKey, { app: 'virtual-try-on' })).body.error.code).toBe('APP_NOT_ACTIVE');
    expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
    await activateApps(api.deps.orm, api.deps.redis, b.customerId, ['pd-calculator'], 'inactive');
    // The API's activation cache drops the brand when the invalidation arrives over pub/sub.
    const res = await waitFor(() => consume(api, b.apiKey, { app: 'pd-calculator' }), (r) => r.status !== 200, 5_000);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('APP_NOT_ACTIVE');
  });

  it('answers 403 KEY_NOT_ALLOWED_FOR_APP for a key scoped to other apps', async () => {
    const b = await meteredBrand(api, { tokens: 10, scopes: ['pd-calculator'] });
    const res = await consume(api, b.apiKey, { app: 'virtual-try-on' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'KEY_NOT_ALLOWED_FOR_APP', details: { allowedApps: ['pd-calculator'] } });
  });

  it('answers 404 UNKNOWN_APP for a slug that is no app', async () => {
    const res = await consume(api, brand.apiKey, { app: 'teleporter' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'body.app' } });
  });

  it.each([
    ['a missing Idempotency-Key', { app: 'pd-calculator' }, null, 'header.idempotency-key'],
    ['an Idempotency-Key over 255 characters', { app: 'pd-calculator' }, 'k'.repeat(256), 'header.idempotency-key'],
    ['a missing app', {}, 'k1', 'body.app'],
    ['an app that is not a slug', { app: 'Virtual Try-On' }, 'k2', 'body.app'],
    ['a sessionId over 128 characters', { app: 'pd-calculator', sessionId: 's'.repeat(129) }, 'k3', 'body.sessionId'],
    ['metadata over 4 KB', { app: 'pd-calculator', metadata: { blob: 'x'.repeat(4_100) } }, 'k4', 'body.metadata'],
    ['metadata that is not an object', { app: 'pd-calculator', metadata: [1, 2] }, 'k5', 'body.metadata'],
  ])('answers 422 VALIDATION_FAILED naming the field for %s', async (_what, body, key, field) => {
    const res = await consume(api, brand.apiKey, body, key);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it('answers 429 RATE_LIMITED with Retry-After past the per-second ceiling', async () => {
    const limited = await startApi({ CONSUME_RATE_PER_SECOND: '3' });
    try {
      const b = await meteredBrand(limited, { tokens: 100 });
      const results = await Promise.all(Array.from({ length: 8 }, () => consume(limited, b.apiKey, { app: 'pd-calculator' })));
      const refused = results.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(5 - 3); // a second boundary may split the burst
      expect(refused[0]!.headers.get('retry-after')).toBe('1');
      expect(refused[0]!.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('records unlimited-plan usage without a balance: remainingTokens is null', async () => {
    const { session, user } = await signUp(api.url);
    const customerId = user.customerId as string;
    await api.deps.orm.em.getConnection().execute(
      `insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = 'enterprise'
       on conflict (customer_id) do update set plan_id = excluded.plan_id`,
      [customerId],
    );
    await activateApps(api.deps.orm, api.deps.redis, customerId, ['advanced-analytics']);
    const key = (await session.post('/api/api-keys', { name: 'server' })).body.secret as string;
    const res = await consume(api, key, { app: 'advanced-analytics' });
    expect(res.body).toMatchObject({ tokens: 10, remainingTokens: null, replayed: false });
    await reconcileNow(api, customerId);
    expect(await ledgerRows(api.deps.orm, customerId)).toEqual({ count: 1, sum: -10 });
  });
});
