// A brand admin takes the brand's data away as JSON or CSV; no one else may. The use table is
// streamed through a cursor, so a long history arrives whole.
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import { logIn, Session } from '../support/http';
import { consume, meteredBrand, reconcileNow, type MeteredBrand } from '../support/metering';

let api: TestApi;
let brand: MeteredBrand;
let adminEmail: string;
const extraUses = 5_000;

beforeAll(async () => {
  api = await startApi();
  brand = await meteredBrand(api, { tokens: 50, apps: ['pd-calculator'] });
  adminEmail = (await brand.admin.get('/api/auth/me')).body.user.email;
  for (let i = 0; i < 3; i++) expect((await consume(api, brand.apiKey, { app: 'pd-calculator' })).status).toBe(200);
  await reconcileNow(api, brand.customerId);
  expect((await brand.admin.post('/api/apps/pd-calculator/configuration/versions', { configuration: { buttonText: 'Measure me' }, why: 'clearer' })).status).toBe(201);
  // A long history, written directly: the export must stream it, not hold it.
  await api.deps.orm.em.getConnection().execute(
    `insert into token_usage (customer_id, app_id, idempotency_key, request_hash, tokens, debited_at)
     select ?, (select id from apps where slug = 'pd-calculator'), 'bulk-' || g, 'h', 1, now() - g * interval '1 second' from generate_series(1, ?) g`,
    [brand.customerId, extraUses],
  );
});
afterAll(() => api.close());

const download = (s: Session, format: string) => s.get(`/api/account/export?format=${format}`);

describe('GET /api/account/export', () => {
  it('gives an admin every table as one JSON object, as an attachment', async () => {
    const res = await download(brand.admin, 'json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="varai-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const { format, customerId, tables } = res.body;
    expect({ format, customerId }).toEqual({ format: 'varai-export-v1', customerId: brand.customerId });
    expect(Object.keys(tables)).toEqual(['brand', 'staff', 'apps', 'configurations', 'usage', 'invoices', 'purchases']);
    expect(tables.brand).toEqual([expect.objectContaining({ id: brand.customerId })]);
    expect(tables.staff).toEqual([expect.objectContaining({ email: adminEmail, role: 'admin' })]);
    expect(tables.apps).toEqual([expect.objectContaining({ app: 'pd-calculator', status: 'active' })]);
    expect(tables.configurations).toEqual([expect.objectContaining({ app: 'pd-calculator', version: 1, configuration: expect.objectContaining({ buttonText: 'Measure me' }), reason: 'clearer' })]);
    expect(tables.usage).toHaveLength(3 + extraUses);
    expect(tables.usage[0]).toEqual(expect.objectContaining({ app: 'pd-calculator', tokens: 1 }));
    expect(tables.invoices).toEqual(expect.any(Array));
    expect(tables.purchases).toEqual([]);
  });

  it('gives the same rows as CSV, one line per cell under table,record,field,value', async () => {
    const res = await download(brand.admin, 'csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('table,record,field,value');
    expect(lines).toContain(`staff,1,email,${adminEmail}`);
    const usageRecords = new Set(lines.filter((l) => l.startsWith('usage,')).map((l) => l.split(',')[1]));
    expect(usageRecords.size).toBe(3 + extraUses);
    expect(lines.some((l) => l.startsWith('configurations,1,configuration,"{'))).toBe(true);
  });

  it('is audited with the format', async () => {
    const rows = await api.deps.orm.em.getConnection().execute<{ actor_kind: string; details: { format: string } }[]>(
      "select actor_kind, details from audit_log where customer_id = ? and action = 'account.data_exported' order by id",
      [brand.customerId],
    );
    expect(rows.map((r) => r.details.format)).toEqual(['json', 'csv']);
  });

  it('refuses managers, viewers and operators with 403, and an unknown format with 422', async () => {
    for (const role of ['manager', 'viewer'] as const) {
      const member = await memberOf(api.url, brand.admin, role);
      const res = await download(member.session, 'json');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const op = (await logIn(api.url)).session;
    expect((await download(op, 'json')).status).toBe(403);
    const bad = await download(brand.admin, 'xml');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ path: 'query.format' })]);
  });
});
