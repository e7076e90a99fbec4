// GET /api/audit, /api/audit/filters and /api/audit/export.csv: a brand's admins read its own
// audit log (who, what, when, from which address or key), filtered and paged; nobody else does.
import { writeAudit, recordAudit } from '../../domain/audit/record';
import { startApi, type TestApi } from '../support/api-server';
import { memberOf } from '../support/brand';
import { signUp, type Session } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface Entry {
  id: string;
  at: string;
  action: string;
  ip: string | null;
  actor: { kind: string; label: string; email: string | null; apiKeyPrefix: string | null; userId: string | null };
  target: { type: string; id: string } | null;
}

async function brand(brandName = 'Acme Eyewear') {
  const { session, user } = await signUp(api.url, { brandName });
  return { admin: session, customerId: user.customerId as string, userId: user.id as string, email: user.email as string };
}

async function entries(s: Session, query = ''): Promise<Entry[]> {
  const res = await s.get(`/api/audit${query}`);
  expect(res.status).toBe(200);
  return res.body.entries;
}

describe('GET /api/audit', () => {
  it('lists the brand’s entries newest first, naming the user and the address the request came from', async () => {
    const b = await brand();
    const key = await b.admin.post('/api/api-keys', { name: 'Storefront' });
    expect(key.status).toBe(201);
    const list = await entries(b.admin);
    expect(list.map((e) => e.action)).toEqual(['api_key.created', 'customer.signed_up']);
    expect(list[0]!.actor).toMatchObject({ kind: 'user', email: b.email, label: `Ann Admin <${b.email}>`, userId: b.userId });
    expect(list[0]!.ip).toMatch(/127\.0\.0\.1$/);
    expect(Date.parse(list[0]!.at)).toBeGreaterThanOrEqual(Date.parse(list[1]!.at));
  });

  it('names an API key actor by its name and prefix, and the product as System', async () => {
    const b = await brand();
    const key = await b.admin.post('/api/api-keys', { name: 'Checkout server' });
    const em = api.deps.orm.em.fork();
    await writeAudit(em, { actor: { kind: 'api_key', apiKeyId: key.body.apiKey.id }, customerId: b.customerId, action: 'app.activation_requested', target: { type: 'app', id: 'pd-calculator' } });
    await writeAudit(em, { actor: { kind: 'system' }, customerId: b.customerId, action: 'billing.cycle_closed' });
    const [system, byKey] = await entries(b.admin);
    expect(system!.actor).toMatchObject({ kind: 'system', label: 'System' });
    expect(system!.ip).toBeNull();
    expect(byKey!.actor).toMatchObject({ kind: 'api_key', apiKeyPrefix: key.body.apiKey.prefix, label: `Checkout server (${key.body.apiKey.prefix}…)` });
    expect(byKey!.target).toEqual({ type: 'app', id: 'pd-calculator' });
  });

  it('never shows another brand’s entries', async () => {
    const a = await brand();
    const other = await brand('Other Optics');
    await other.admin.post('/api/api-keys', { name: 'Theirs' });
    const list = await entries(a.admin);
    expect(list.every((e) => e.actor.email !== other.email)).toBe(true);
    expect(list).toHaveLength(1);
  });

  it('filters by action, by actor and by date', async () => {
    const b = await brand();
    await b.admin.post('/api/api-keys', { name: 'One' });
    await writeAudit(api.deps.orm.em.fork(), { actor: { kind: 'system' }, customerId: b.customerId, action: 'api_key.created' });
    expect((await entries(b.admin, '?action=api_key.created')).map((e) => e.actor.kind)).toEqual(['system', 'user']);
    expect((await entries(b.admin, `?action=api_key.created&actor=user:${b.userId}`)).map((e) => e.actor.kind)).toEqual(['user']);
    expect((await entries(b.admin, '?actor=system')).map((e) => e.action)).toEqual(['api_key.created']);
    const today = new Date().toISOString().slice(0, 10);
    expect(await entries(b.admin, `?from=${today}&to=${today}`)).toHaveLength(3);
    expect(await entries(b.admin, '?from=2020-01-01&to=2020-12-31')).toHaveLength(0);
  });

  it('pages by cursor without skipping or repeating an entry', async () => {
    const b = await brand();
    const em = api.deps.orm.em.fork();
    for (let i = 0; i < 7; i++) recordAudit(em, { actor: { kind: 'system' }, customerId: b.customerId, action: `test.step_${i}` });
    await em.flush();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { entries: Entry[]; nextCursor: string | null } } = await b.admin.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.entries.map((e: Entry) => e.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);
    expect([...seen].sort((x, y) => Number(y) - Number(x))).toEqual(seen);
  });

  it.each([
    ['actor=robot', 'query.actor'],
    ['actor=user:not-a-uuid', 'query.actor'],
    ['action=DROP%20TABLE', 'query.action'],
    ['from=2026-13-01', 'query.from'],
    ['to=yesterday', 'query.to'],
    ['from=2026-11-20&to=2026-11-01', 'query.to'],
    ['cursor=abc', 'query.cursor'],
    ['cursor=0', 'query.cursor'],
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
  ])('answers 422 naming the field for %s', async (query, field) => {
    const b = await brand();
    for (const path of ['/api/audit', '/api/audit/export.csv']) {
      if (path.endsWith('.csv') && /cursor|limit/.test(query)) continue;
      const res = await b.admin.get(`${path}?${query}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
  });

  it.each(['viewer', 'manager'] as const)('refuses a %s with 403 on every audit route', async (role) => {
    const b = await brand();
    const { session } = await memberOf(api.url, b.admin, role);
    for (const path of ['/api/audit', '/api/audit/filters', '/api/audit/export.csv']) {
      const res = await session.get(path);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('answers 401 without a session', async () => {
    const res = await fetch(`${api.url}/api/audit`);
    expect(res.status).toBe(401);
  });
});

describe('GET /api/audit/filters', () => {
  it('lists the actions and actors of the brand’s log with the value each actor filter takes', async () => {
    const b = await brand();
    await writeAudit(api.deps.orm.em.fork(), { actor: { kind: 'system' }, customerId: b.customerId, action: 'billing.cycle_closed' });
    const res = await b.admin.get('/api/audit/filters');
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual(['billing.cycle_closed', 'customer.signed_up']);
    expect(res.body.actors).toEqual([
      { value: `user:${b.userId}`, label: `Ann Admin <${b.email}>`, kind: 'user' },
      { value: 'system', label: 'System', kind: 'system' },
    ]);
  });
});

describe('GET /api/audit/export.csv', () => {
  it('streams text/csv with a header row, named after the brand and the range, with the filters applied', async () => {
    const b = await brand('Acme Eyewear');
    await b.admin.post('/api/api-keys', { name: 'Storefront' });
    const today = new Date().toISOString().slice(0, 10);
    const res = await b.admin.get(`/api/audit/export.csv?from=2026-01-01&to=${today}&action=api_key.created`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="acme-eyewear-audit-2026-01-01-to-${today}.csv"`);
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_kind,actor,actor_email,api_key_prefix,action,target_type,target_id,ip,request_id,details');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',api_key.created,api_key,');
    expect(lines[1]).toContain(`Ann Admin <${b.email}>`);
  });

  it('streams every entry of a log longer than one internal page', async () => {
    const b = await brand();
    const em = api.deps.orm.em.fork();
    for (let i = 0; i < 1203; i++) recordAudit(em, { actor: { kind: 'system' }, customerId: b.customerId, action: 'test.bulk' });
    await em.flush();
    const res = await b.admin.get('/api/audit/export.csv?actor=system');
    const lines = (res.body as string).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 1203);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(1203);
  });

  it('says `start` and today for an open range', async () => {
    const b = await brand('Zoë’s Frames & Co');
    const res = await b.admin.get('/api/audit/export.csv');
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="zoe-s-frames-co-audit-start-to-${today}.csv"`);
  });
});
