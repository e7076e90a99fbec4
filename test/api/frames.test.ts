// The brand's own frame catalog through the real API and PostgreSQL: an upload replaces it whole
// or not at all, every bad row is named, and the engines search it (through another API process
// too, which the live channel tells) instead of the sample.
import { randomUUID } from 'node:crypto';
import { maxFrames } from '../../domain/frames/columns';
import { startApi, type TestApi } from '../support/api-server';
import { Session, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';
import { meteredBrand, type MeteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

const header = 'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm,totalWidthMm';
const rows = [
  'AC-100,Ada Round,round,acetate,black,129.00,49,20,145,132',
  'AC-101,Ada Square,square,acetate,tortoise,139,52,18,145,',
  'TI-200,Tess Aviator,aviator,titanium,gold,249.50,56,16,140,140',
];
const csv = [header, ...rows].join('\n');
const catalogEngines = ['frame-finder', 'eyewear-recommendations', 'style-consultation', 'fit-consultation'];

let api: TestApi;
let other: TestApi;
beforeAll(async () => {
  [api, other] = await Promise.all([startApi(), startApi()]);
});
afterAll(async () => {
  await Promise.all([api.close(), other.close()]);
});

const upload = (s: Session, body: string, type = 'text/csv') => s.put('/api/frames', body, { 'content-type': type });

function run(target: TestApi, b: MeteredBrand, slug: string, input: unknown) {
  return fetch(`${target.url}/v1/apps/${slug}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.apiKey}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
}

async function member(admin: Session, role: 'viewer' | 'manager'): Promise<Session> {
  const email = uniqueEmail(role);
  await addMember(admin, { email, name: role, role, password: 'correct-horse-battery' });
  const s = new Session(api.url);
  expect((await s.post('/api/auth/login', { email, password: 'correct-horse-battery' })).status).toBe(200);
  return s;
}

describe('PUT /api/frames', () => {
  it('stores a CSV upload, and GET shows its count, time and rows in upload order', async () => {
    const b = await meteredBrand(api);
    const res = await upload(b.admin, csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'brand', count: 3, updatedAt: expect.any(String) });
    const page = await b.admin.get('/api/frames?limit=2&offset=1');
    expect(page.body).toMatchObject({ source: 'brand', count: 3, updatedAt: res.body.updatedAt, limit: 2, offset: 1 });
    expect(page.body.frames).toEqual([
      { sku: 'AC-101', name: 'Ada Square', shape: 'square', material: 'acetate', colour: 'tortoise', priceCents: 13_900, currency: 'usd', lensWidthMm: 52, bridgeMm: 18, templeMm: 145, totalWidthMm: 2 * 52 + 18 + 12 },
      expect.objectContaining({ sku: 'TI-200', priceCents: 24_950 }),
    ]);
  });

  it('stores a JSON upload in either form, replacing the previous catalog', async () => {
    const b = await meteredBrand(api);
    await upload(b.admin, csv);
    const frame = { sku: 'J-1', name: 'Jo Square', shape: 'square', material: 'tr90', colour: 'navy', price: '89.00', lensWidthMm: 52, bridgeMm: 18, templeMm: 140 };
    expect((await upload(b.admin, JSON.stringify([frame]), 'application/json')).body.count).toBe(1);
    expect((await b.admin.get('/api/frames')).body.frames.map((f: { sku: string }) => f.sku)).toEqual(['J-1']);
    expect((await upload(b.admin, JSON.stringify({ frames: [frame, { ...frame, sku: 'J-2' }] }), 'application/json')).body.count).toBe(2);
  });

  it('names every bad row by line and field, and imports nothing', async () => {
    const b = await meteredBrand(api);
    await upload(b.admin, csv);
    const bad = [header, rows[0], 'B-1,Bad,hexagon,acetate,black,12.345,49,20,145,', rows[0], ...rows.slice(1)].join('\n');
    const res = await upload(b.admin, bad);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('2 rows of the upload are invalid; nothing was imported.');
    expect(res.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'line 3: shape', line: 3, field: 'shape' }),
      expect.objectContaining({ path: 'line 3: price', line: 3, field: 'price' }),
      expect.objectContaining({ path: 'line 4: sku', line: 4, message: expect.stringContaining('duplicate SKU "AC-100" (first at line 2)') }),
    ]);
    const kept = await b.admin.get('/api/frames');
    expect(kept.body).toMatchObject({ source: 'brand', count: 3 });
  });

  it('names bad JSON items by index', async () => {
    const b = await meteredBrand(api);
    const res = await upload(b.admin, JSON.stringify([{ sku: 'x' }]), 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['body[0].name', 'body[0].price', 'body[0].templeMm']));
    expect((await b.admin.get('/api/frames')).body.source).toBe('sample');
  });

  it('refuses control characters (a NUL would reach PostgreSQL as a 500) in CSV and JSON, naming the field', async () => {
    const b = await meteredBrand(api);
    const csvRes = await upload(b.admin, [header, 'AC-100,Ada\u0000Round,round,acetate,black,129.00,49,20,145,'].join('\n'));
    expect(csvRes.status).toBe(422);
    expect(csvRes.body.error.details.fields).toEqual([expect.objectContaining({ line: 2, field: 'name' })]);
    const frame = { sku: 'AC-100', name: 'Ada\u0007Round', shape: 'round', material: 'acetate', colour: 'black', price: '129.00', lensWidthMm: 49, bridgeMm: 20, templeMm: 145 };
    const jsonRes = await upload(b.admin, JSON.stringify([frame, { ...frame, sku: 'AC-\u0000101', name: 'Ada' }]), 'application/json');
    expect(jsonRes.status).toBe(422);
    expect(jsonRes.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body[0].name', 'body[1].sku']);
    expect((await b.admin.get('/api/frames')).body.source).toBe('sample');
  });

  it('refuses more frames than the limit, a body past 2 MB, other media types and broken JSON, with their codes', async () => {
    const b = await meteredBrand(api);
    const many = [header, ...Array.from({ length: maxFrames + 1 }, (_, i) => `S${i},N,round,metal,gold,1,49,20,145,`)].join('\n');
    const tooMany = await upload(b.admin, many);
    expect([tooMany.status, tooMany.body.error.code, tooMany.body.error.details]).toEqual([422, 'TOO_MANY_FRAMES', { maxFrames, frames: maxFrames + 1 }]);
    const huge = await upload(b.admin, `${header}\n${'x'.repeat(2 * 1024 * 1024 + 1)}`);
    expect([huge.status, huge.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect((await upload(b.admin, csv, 'application/xml')).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(b.admin, '[{', 'application/json')).body.error.code).toBe('INVALID_JSON');
    expect((await b.admin.get('/api/frames')).body.source).toBe('sample');
  });

  it('takes 5,000 frames in one upload', async () => {
    const b = await meteredBrand(api);
    const all = [header, ...Array.from({ length: maxFrames }, (_, i) => `S${i},Model ${i},round,metal,gold,${100 + (i % 50)}.00,49,20,145,`)].join('\n');
    const res = await upload(b.admin, all);
    expect([res.status, res.body.count]).toEqual([200, maxFrames]);
  });

  it('lets managers upload and viewers only read', async () => {
    const b = await meteredBrand(api);
    const viewer = await member(b.admin, 'viewer');
    const manager = await member(b.admin, 'manager');
    expect((await upload(viewer, csv)).status).toBe(403);
    expect((await viewer.request('DELETE', '/api/frames')).status).toBe(403);
    expect((await upload(manager, csv)).status).toBe(200);
    expect((await viewer.get('/api/frames')).body.count).toBe(3);
  });
});

describe('the engines and the brand catalog', () => {
  it('search the sample until an upload, then only the brand’s SKUs, in every API process', async () => {
    const b = await meteredBrand(api, { tokens: 1_000, apps: catalogEngines });
    const before = await run(other, b, 'frame-finder', { limit: 100 });
    expect(before.body.result.total).toBe(243);
    expect((await upload(b.admin, csv)).status).toBe(200);

    const found = await run(api, b, 'frame-finder', { limit: 100 });
    expect(found.body.result.frames.map((f: { id: string }) => f.id).sort()).toEqual(['AC-100', 'AC-101', 'TI-200']);
    // The other process learns of the upload through the live channel, not by asking PostgreSQL each run.
    const seen = await waitFor(async () => (await run(other, b, 'frame-finder', { shapes: ['aviator'] })).body.result.total, (total) => total === 1);
    expect(seen).toBe(1);

    const recs = await run(api, b, 'eyewear-recommendations', { faceShape: 'round', limit: 50 });
    expect(recs.body.result.considered).toBe(3);
    const style = await run(api, b, 'style-consultation', { faceShape: 'round', sampleCount: 12 });
    for (const f of style.body.result.sampleFrames) expect(['AC-100', 'AC-101', 'TI-200']).toContain(f.id);
    const fit = await run(api, b, 'fit-consultation', { shopper: { faceWidthMm: 136, pdMm: 63 }, frameId: 'TI-200' });
    expect(fit.body.result.frame).toMatchObject({ id: 'TI-200', lensWidthMm: 56 });
    const sampleId = await run(api, b, 'fit-consultation', { shopper: { faceWidthMm: 136, pdMm: 63 }, frameId: 'frm-001' });
    expect([sampleId.status, sampleId.body.error.details.fields[0].path]).toEqual([422, 'body.input.frameId']);
  });

  it('go back to the sample after DELETE, which is audited', async () => {
    const b = await meteredBrand(api, { tokens: 100, apps: ['frame-finder'] });
    await upload(b.admin, csv);
    expect((await run(api, b, 'frame-finder', {})).body.result.total).toBe(3);
    const reset = await b.admin.request('DELETE', '/api/frames');
    expect(reset.body).toEqual({ source: 'sample', removed: 3 });
    expect((await run(api, b, 'frame-finder', {})).body.result.total).toBe(243);
    expect((await b.admin.get('/api/frames')).body).toMatchObject({ source: 'sample', count: 243, updatedAt: null });
    const actions = await api.deps.orm.em
      .getConnection()
      .execute<{ action: string }[]>("select action from audit_log where customer_id = ? and action like 'frames.%' order by created_at", [b.customerId]);
    expect(actions.map((a) => a.action)).toEqual(['frames.replaced', 'frames.reset']);
  });

  it('keep the other brands on their own catalog', async () => {
    const a = await meteredBrand(api, { tokens: 100, apps: ['frame-finder'] });
    const c = await meteredBrand(api, { tokens: 100, apps: ['frame-finder'] });
    await upload(a.admin, csv);
    expect((await run(api, c, 'frame-finder', {})).body.result.total).toBe(243);
  });
});
