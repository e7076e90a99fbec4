// GET /api/usage/export.csv: the analytics as a streamed CSV attachment named after the brand and
// range; key-level lines for admins only.
import { sessionCookie } from '../../api/session';
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import type { Session } from '../support/http';
import { seedRollup, type SeededBrand } from '../support/usage';

let api: TestApi;
let brand: SeededBrand;
let manager: Session;
let viewer: Session;
beforeAll(async () => {
  api = await startApi();
  brand = await seedRollup(api, 'Acme "Eyewear", Inc.');
  manager = (await memberOf(api.url, brand.admin, 'manager')).session;
  viewer = (await memberOf(api.url, brand.admin, 'viewer')).session;
});
afterAll(() => api.close());

const csv = (s: Session, query: string) => s.get(`/api/usage/export.csv?${query}`);

describe('GET /api/usage/export.csv', () => {
  it('answers text/csv as an attachment named after the brand and the range', async () => {
    const res = await csv(viewer, 'from=2026-03-01&to=2026-03-03');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="acme-eyewear-inc-usage-2026-03-01-to-2026-03-03.csv"');
  });

  it('writes a header row, then one line per day and app, refunds netted', async () => {
    const res = await csv(viewer, 'from=2026-03-01&to=2026-03-03');
    expect(res.body.split('\r\n')).toEqual([
      'bucket_start_utc,app,app_name,mode,uses,tokens,refunded_uses,refunded_tokens,net_tokens',
      '2026-03-02T00:00:00.000Z,pd-calculator,PD Calculator,live,10,10,0,0,10',
      '2026-03-02T00:00:00.000Z,virtual-try-on,Virtual Try-On,live,2,10,0,0,10',
      '2026-03-03T00:00:00.000Z,pd-calculator,PD Calculator,live,2,2,0,0,2',
      '2026-03-03T00:00:00.000Z,virtual-try-on,Virtual Try-On,live,2,18,2,10,8',
      '',
    ]);
  });

  it('adds the api key to each line for an admin asking level=key', async () => {
    const res = await csv(brand.admin, 'from=2026-03-02&to=2026-03-02&granularity=hour&level=key');
    expect(res.status).toBe(200);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('bucket_start_utc,app,app_name,api_key_id,api_key_name,api_key_prefix,mode,uses,tokens,refunded_uses,refunded_tokens,net_tokens');
    expect(lines.slice(1).map((l: string) => l.split(',').slice(0, 5).join(','))).toEqual([
      '2026-03-02T10:00:00.000Z,pd-calculator,PD Calculator,,',
      `2026-03-02T10:00:00.000Z,pd-calculator,PD Calculator,${brand.keys.storefront},storefront`,
      `2026-03-02T15:00:00.000Z,virtual-try-on,Virtual Try-On,${brand.keys.storefront},storefront`,
    ]);
  });

  it.each([['manager', () => manager], ['viewer', () => viewer]])('refuses level=key to a %s with 403 FORBIDDEN', async (_role, session) => {
    const res = await csv(session(), 'from=2026-03-01&to=2026-03-03&level=key');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it.each([
    ['from=2026-13-01&to=2026-03-03', 'query.from'],
    ['from=2026-03-03&to=2026-03-01', 'query.to'],
    ['from=2026-01-01&to=2027-03-01', 'query.to'],
    ['from=2026-03-01&to=2026-03-31&granularity=hour', 'query.granularity'],
    ['from=2026-03-01&to=2026-03-03&mode=prod', 'query.mode'],
    ['from=2026-03-01&to=2026-03-03&level=grant', 'query.level'],
  ])('answers 422 VALIDATION_FAILED naming the field for %s', async (query, field) => {
    const res = await csv(brand.admin, query);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([field]);
  });

  it('streams a long export in chunks rather than one body', async () => {
    // A year of days × 2 apps × 30 keys: 21,960 lines, read through the cursor 1,000 at a time.
    const conn = api.deps.orm.em.getConnection();
    await conn.execute(
      `insert into usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens)
       select ?, 'live', d, a.id, k, 1, 1
         from generate_series('2025-01-01T12:00:00Z'::timestamptz, '2026-01-01T11:00:00Z', interval '1 day') d,
              (select id from apps where slug in ('pd-calculator', 'virtual-try-on')) a,
              (select gen_random_uuid() as k from generate_series(1, 30)) k`,
      [brand.customerId],
    );
    const res = await fetch(`${api.url}/api/usage/export.csv?from=2025-01-01&to=2025-12-31&level=key`, { headers: { cookie: `${sessionCookie}=${brand.admin.cookie(sessionCookie)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      chunks += 1;
      text += decoder.decode(chunk as Uint8Array, { stream: true });
    }
    expect(text.trim().split('\r\n')).toHaveLength(1 + 365 * 2 * 30);
    expect(chunks).toBeGreaterThan(1);
  });
});
