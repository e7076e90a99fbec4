// GET /api/usage/analytics: totals, zero-filled series, top apps and (admins only) keys, read from
// the usage_hourly rollup; each bad query answered 422 naming its field.
import { startApi, type TestApi } from '../support/api-server';
import { brandOnPlan, memberOf } from '../support/brand';
import type { Session } from '../support/http';
import { seedRollup, type SeededBrand } from '../support/usage';

let api: TestApi;
let brand: SeededBrand;
let manager: Session;
let viewer: Session;
beforeAll(async () => {
  api = await startApi();
  brand = await seedRollup(api);
  manager = (await memberOf(api.url, brand.admin, 'manager')).session;
  viewer = (await memberOf(api.url, brand.admin, 'viewer')).session;
  // Another brand's uses in the same hours must not show.
  const other = await brandOnPlan(api.url, api.deps.orm, 'starter');
  await api.deps.orm.em.getConnection().execute(
    `insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens) select ?, 'live', '2026-03-02T10:00:00Z', id, null, 999, 999 from apps where slug = 'pd-calculator'`,
    [other.customerId],
  );
});
afterAll(() => api.close());

const q = (s: Session, query: string) => s.get(`/api/usage/analytics?${query}`);

describe('GET /api/usage/analytics', () => {
  it('sums uses, tokens and refunds over the range, netting refunds in the totals', async () => {
    const res = await q(viewer, 'from=2026-03-01&to=2026-03-03');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ uses: 16, tokens: 40, refundedUses: 2, refundedTokens: 10, netTokens: 30 });
  });

  it('lists every day of the range in order, zero-filled, with uses net of refunds by app', async () => {
    const res = await q(viewer, 'from=2026-03-01&to=2026-03-03');
    expect(res.body.series).toEqual([
      { at: '2026-03-01T00:00:00.000Z', byApp: {} },
      { at: '2026-03-02T00:00:00.000Z', byApp: { 'pd-calculator': { uses: 10, tokens: 10 }, 'virtual-try-on': { uses: 2, tokens: 10 } } },
      { at: '2026-03-03T00:00:00.000Z', byApp: { 'pd-calculator': { uses: 2, tokens: 2 }, 'virtual-try-on': { uses: 0, tokens: 8 } } },
    ]);
  });

  it('answers hourly buckets for a short range, 24 a day', async () => {
    const res = await q(viewer, 'from=2026-03-02&to=2026-03-03&granularity=hour');
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(48);
    expect(res.body.series[10]).toEqual({ at: '2026-03-02T10:00:00.000Z', byApp: { 'pd-calculator': { uses: 10, tokens: 10 } } });
  });

  it('ranks the top apps by tokens, with their refunds', async () => {
    const res = await q(manager, 'from=2026-03-01&to=2026-03-03');
    expect(res.body.apps).toEqual([
      { slug: 'virtual-try-on', name: 'Virtual Try-On', uses: 4, tokens: 28, refundedTokens: 10 },
      { slug: 'pd-calculator', name: 'PD Calculator', uses: 12, tokens: 12, refundedTokens: 0 },
    ]);
  });

  it('shows usage by api key to admins only', async () => {
    const admin = await q(brand.admin, 'from=2026-03-01&to=2026-03-03');
    expect(admin.body.keys.map((k: { name: string; uses: number; tokens: number; mode: string }) => [k.name, k.mode, k.uses, k.tokens])).toEqual([
      ['server', 'live', 4, 20],
      ['storefront', 'live', 8, 16],
    ]);
    expect((await q(manager, 'from=2026-03-01&to=2026-03-03')).body.keys).toEqual([]);
    expect((await q(viewer, 'from=2026-03-01&to=2026-03-03')).body.keys).toEqual([]);
  });

  it('keeps test keys apart from live ones', async () => {
    const res = await q(brand.admin, 'from=2026-03-01&to=2026-03-03&mode=test');
    expect(res.body.totals).toEqual({ uses: 1, tokens: 5, refundedUses: 0, refundedTokens: 0, netTokens: 5 });
    expect(res.body.keys.map((k: { name: string }) => k.name)).toEqual(['sandbox']);
  });

  it('defaults to the last 30 days by day, live', async () => {
    const res = await q(viewer, '');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ granularity: 'day', mode: 'live' });
    expect(res.body.series).toHaveLength(30);
    expect(res.body.to).toBe(new Date().toISOString().slice(0, 10));
  });

  it.each([
    ['from=2026-3-01&to=2026-03-03', 'query.from'],
    ['from=2026-02-30&to=2026-03-03', 'query.from'],
    ['from=2026-03-01&to=tomorrow', 'query.to'],
    ['from=2026-03-03&to=2026-03-01', 'query.to'],
    ['from=2025-01-01&to=2026-03-01', 'query.to'],
    ['from=2026-03-01&to=2026-03-08&granularity=hour', 'query.granularity'],
    ['from=2026-03-01&to=2026-03-03&granularity=week', 'query.granularity'],
    ['from=2026-03-01&to=2026-03-03&mode=sandbox', 'query.mode'],
  ])('answers 422 VALIDATION_FAILED naming the field for %s', async (query, field) => {
    const res = await q(viewer, query);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([field]);
  });

  it('accepts exactly 366 days and hourly buckets over exactly 7 days', async () => {
    expect((await q(viewer, 'from=2025-03-01&to=2026-03-01')).status).toBe(200);
    expect((await q(viewer, 'from=2026-03-01&to=2026-03-07&granularity=hour')).body.series).toHaveLength(168);
  });
});
