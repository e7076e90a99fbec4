// Test-mode usage analytics from real test-key uses: the sandbox debit counts each use into its
// day's hash, a failed test run's refund nets out in the use's bucket, and mode=test analytics and
// the CSV read them back in the live shapes, while live analytics never show them.
import { randomUUID } from 'node:crypto';
import { meteringKeys } from '../../domain/metering/keys';
import { utcDayStart } from '../../domain/metering/sandbox-days';
import { dayOf } from '../../domain/usage/range';
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import { consume, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';

let api: TestApi;
let b: MeteredBrand;
let testKey: { id: string; secret: string };
let startedMs: number;
let range: string;

function run(slug: string, apiKey: string, input: unknown) {
  return fetch(`${api.url}/v1/apps/${slug}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
}

beforeAll(async () => {
  // No upstream is configured: Conversational AI (no built-in engine) fails after its debit and is refunded.
  api = await startApi();
  b = await meteredBrand(api, { tokens: 10, apps: ['pd-calculator', 'virtual-try-on', 'conversational-ai'] });
  const created = await b.admin.post('/api/api-keys', { name: 'sandbox', mode: 'test' });
  if (created.status !== 201) throw new Error(`test key creation failed: ${created.status}`);
  testKey = { id: created.body.apiKey.id, secret: created.body.secret };
  startedMs = Date.now();
  // Yesterday too: a use just before midnight must not fall out of the range.
  range = `from=${dayOf(startedMs - 86_400_000)}&to=${dayOf(startedMs)}`;
  for (const app of ['pd-calculator', 'pd-calculator', 'virtual-try-on']) expect((await consume(api, testKey.secret, { app })).status).toBe(200);
  const failed = await run('conversational-ai', testKey.secret, { message: 'hi' });
  expect(failed.status).toBe(503);
  expect(failed.body.error.details).toMatchObject({ refunded: true, refundedTokens: 3 });
  expect((await consume(api, b.apiKey, { app: 'pd-calculator' })).status).toBe(200);
  await reconcileNow(api, b.customerId);
});
afterAll(() => api.close());

const analytics = (query: string) => b.admin.get(`/api/usage/analytics?${query}`);

describe('usage analytics of test keys (mode=test)', () => {
  it('totals the test uses and tokens, with the failed run refunded', async () => {
    const res = await analytics(`${range}&mode=test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'test', granularity: 'day' });
    expect(res.body.totals).toEqual({ uses: 4, tokens: 10, refundedUses: 1, refundedTokens: 3, netTokens: 7 });
    expect(res.body.apps).toEqual([
      { slug: 'virtual-try-on', name: 'Virtual Try-On', uses: 1, tokens: 5, refundedTokens: 0 },
      { slug: 'conversational-ai', name: 'Conversational AI', uses: 1, tokens: 3, refundedTokens: 3 },
      { slug: 'pd-calculator', name: 'PD Calculator', uses: 2, tokens: 2, refundedTokens: 0 },
    ]);
    expect(res.body.keys).toEqual([{ id: testKey.id, name: 'sandbox', prefix: expect.any(String), mode: 'test', uses: 4, tokens: 10 }]);
  });

  it('puts them in the day they were made, net of the refund, every day present', async () => {
    const res = await analytics(`${range}&mode=test`);
    expect(res.body.series).toHaveLength(2);
    const today = res.body.series.find((s: { at: string }) => s.at === new Date(utcDayStart(startedMs)).toISOString());
    expect(today.byApp).toEqual({ 'pd-calculator': { uses: 2, tokens: 2 }, 'virtual-try-on': { uses: 1, tokens: 5 }, 'conversational-ai': { uses: 0, tokens: 0 } });
  });

  it('puts them in the hour they were made when asked by hour', async () => {
    const res = await analytics(`${range}&mode=test&granularity=hour`);
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(48);
    const used = res.body.series.filter((s: { byApp: object }) => Object.keys(s.byApp).length > 0);
    const hourOf = (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000;
    for (const s of used) expect(Date.parse(s.at)).toBeGreaterThanOrEqual(hourOf(startedMs));
    for (const s of used) expect(Date.parse(s.at)).toBeLessThanOrEqual(hourOf(Date.now()));
    const sum = (slug: string) => used.reduce((n: number, s: { byApp: Record<string, { tokens: number }> }) => n + (s.byApp[slug]?.tokens ?? 0), 0);
    expect([sum('pd-calculator'), sum('virtual-try-on'), sum('conversational-ai')]).toEqual([2, 5, 0]);
  });

  it('keeps them out of live analytics, and the live use out of test ones', async () => {
    const res = await analytics(range);
    expect(res.body.totals).toEqual({ uses: 1, tokens: 1, refundedUses: 0, refundedTokens: 0, netTokens: 1 });
    expect(res.body.keys.map((k: { mode: string }) => k.mode)).toEqual(['live']);
  });

  it('hides the key breakdown from a non-admin, as live analytics do', async () => {
    const { session } = await memberOf(api.url, b.admin, 'viewer');
    const res = await session.get(`/api/usage/analytics?${range}&mode=test`);
    expect(res.body.totals.uses).toBe(4);
    expect(res.body.keys).toEqual([]);
  });

  it('exports the same figures as CSV, by app and by key', async () => {
    const byApp = await b.admin.get(`/api/usage/export.csv?${range}&mode=test`);
    expect(byApp.status).toBe(200);
    const day = new Date(utcDayStart(startedMs)).toISOString();
    expect(byApp.body.trim().split('\r\n')).toEqual([
      'bucket_start_utc,app,app_name,mode,uses,tokens,refunded_uses,refunded_tokens,net_tokens',
      `${day},conversational-ai,Conversational AI,test,1,3,1,3,0`,
      `${day},pd-calculator,PD Calculator,test,2,2,0,0,2`,
      `${day},virtual-try-on,Virtual Try-On,test,1,5,0,0,5`,
    ]);
    const byKey = await b.admin.get(`/api/usage/export.csv?${range}&mode=test&level=key`);
    expect(byKey.body.trim().split('\r\n').slice(1).map((l: string) => l.split(',').slice(1, 5).join(','))).toEqual([
      `conversational-ai,Conversational AI,${testKey.id},sandbox`,
      `pd-calculator,PD Calculator,${testKey.id},sandbox`,
      `virtual-try-on,Virtual Try-On,${testKey.id},sandbox`,
    ]);
  });

  it('keeps each day a little over a year, so a year back is whole', async () => {
    const ttl = await api.deps.redis.ttl(meteringKeys(b.customerId).sandboxDay(utcDayStart(startedMs)));
    expect(ttl).toBeGreaterThan(366 * 24 * 3600);
  });
});
