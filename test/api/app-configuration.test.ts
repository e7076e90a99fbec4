// Per-app configuration through the portal API: validated against the app's settings schema,
// versioned per brand and app, rolled back by appending, never by rewriting.
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';
import { addMember } from '../support/team';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const path = (slug = 'virtual-try-on') => `/api/apps/${slug}/configuration`;
const put = (s: Session, body: unknown, slug?: string) => s.request('PUT', path(slug), body);
const rollback = (s: Session, version: number, slug?: string) => s.post(`${path(slug)}/rollback`, { version });

async function teamMember(admin: Session, role: 'viewer' | 'manager'): Promise<Session> {
  const member = { email: uniqueEmail(role), name: 'New Person', role, password: 'long-enough-pw' };
  await addMember(admin, member);
  const s = new Session(api.url);
  expect((await s.post('/api/auth/login', { email: member.email, password: member.password })).status).toBe(200);
  return s;
}

describe('app configuration', () => {
  it('shows the defaults at version 0 with the settings schema and no history', async () => {
    const { session } = await signUp(api.url);
    const res = await session.get(path('pd-calculator'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 0, history: [], configuration: { placement: 'product-page', locale: 'en', measurementMethod: 'iris' } });
    expect(res.body.schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(res.body.schema.properties)).toContain('measurementMethod');
  });

  it('numbers each save from 1 and applies defaults to the fields left out', async () => {
    const { session } = await signUp(api.url);
    const first = await put(session, { captureMode: 'photo' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(1);
    expect(first.body.configuration).toMatchObject({ captureMode: 'photo', placement: 'product-page', theme: { primary: '#1f3a5f' } });
    const second = await put(session, { captureMode: 'camera', theme: { primary: '#ff0000' } });
    expect(second.body.version).toBe(2);
    const read = await session.get(path());
    expect(read.body).toMatchObject({ version: 2, configuration: { captureMode: 'camera', theme: { primary: '#ff0000', background: '#ffffff' } } });
  });

  it('lists the history newest first, with who changed it', async () => {
    const { session, user } = await signUp(api.url);
    await put(session, { buttonText: 'one' });
    await put(session, { buttonText: 'two' });
    const { history } = (await session.get(path())).body;
    expect(history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    expect(history[0]).toMatchObject({ configuration: { buttonText: 'two' }, changedBy: { id: user.id, email: user.email }, reason: null });
    expect(Date.parse(history[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps the current configuration on the customer_apps row, creating it inactive for an app never activated', async () => {
    const { session, user } = await signUp(api.url);
    await put(session, { tone: 'playful' }, 'conversational-ai');
    const [row] = await api.deps.orm.em.getConnection().execute(
      "select ca.status, ca.configuration from customer_apps ca join apps a on a.id = ca.app_id where ca.customer_id = ? and a.slug = 'conversational-ai'",
      [user.customerId],
    );
    expect(row).toMatchObject({ status: 'inactive', configuration: { tone: 'playful', placement: 'floating-button' } });
  });

  it('records each change in the audit log', async () => {
    const { session, user } = await signUp(api.url);
    await put(session, { showPrices: false }, 'frame-finder');
    const rows = await api.deps.orm.em.getConnection().execute(
      "select actor_id, target_id, details from audit_log where customer_id = ? and action = 'app.configuration_changed'",
      [user.customerId],
    );
    expect(rows).toEqual([expect.objectContaining({ actor_id: user.id, target_id: 'frame-finder', details: expect.objectContaining({ version: 1 }) })]);
  });

  it('refuses a bad colour with 422, naming body.theme.primary', async () => {
    const { session } = await signUp(api.url);
    const res = await put(session, { theme: { primary: 'red' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.theme.primary']);
    expect((await session.get(path())).body.version).toBe(0);
  });

  it('refuses an unknown setting with 422, naming it', async () => {
    const { session } = await signUp(api.url);
    const res = await put(session, { captureMode: 'photo', maxResults: 5 });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path: 'body.maxResults' })]);
  });

  it('refuses an empty configuration rather than silently resetting every setting', async () => {
    const { session } = await signUp(api.url);
    const res = await put(session, {});
    expect(res.status).toBe(422);
  });

  it.each([
    ['GET', path('teleporter')],
    ['PUT', path('teleporter')],
    ['POST', `${path('teleporter')}/rollback`],
  ])('answers %s %s with 404 UNKNOWN_APP naming params.slug', async (method, url) => {
    const { session } = await signUp(api.url);
    const res = await session.request(method, url, method === 'GET' ? undefined : method === 'PUT' ? { locale: 'en' } : { version: 1 });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'params.slug' } });
  });

  it('lets a viewer read the configuration but not change it', async () => {
    const { session: admin } = await signUp(api.url);
    await put(admin, { locale: 'fr-FR' });
    const viewer = await teamMember(admin, 'viewer');
    expect((await viewer.get(path())).body.configuration.locale).toBe('fr-FR');
    const res = await put(viewer, { locale: 'de' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await rollback(viewer, 1)).status).toBe(403);
  });

  it('lets a manager change it', async () => {
    const { session: admin } = await signUp(api.url);
    const manager = await teamMember(admin, 'manager');
    expect((await put(manager, { locale: 'de' })).body.version).toBe(1);
  });

  it('rolls back by appending a new version equal to the one named', async () => {
    const { session } = await signUp(api.url);
    const v1 = await put(session, { captureMode: 'photo', buttonText: 'First' });
    await put(session, { captureMode: 'camera', buttonText: 'Second' });
    const res = await rollback(session, 1);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ version: 3, configuration: v1.body.configuration });
    const read = (await session.get(path())).body;
    expect(read.configuration).toEqual(v1.body.configuration);
    expect(read.history.map((h: { version: number; reason: string | null }) => [h.version, h.reason])).toEqual([[3, 'rollback to v1'], [2, null], [1, null]]);
  });

  it('answers a rollback to a version that does not exist with 404 naming body.version', async () => {
    const { session } = await signUp(api.url);
    await put(session, { captureMode: 'photo' });
    const res = await rollback(session, 7);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'body.version' } });
    expect((await session.get(path())).body.version).toBe(1);
  });

  it('keeps each brand’s configuration and history to itself', async () => {
    const a = await signUp(api.url);
    await put(a.session, { buttonText: 'Brand A only' });
    const b = await signUp(api.url);
    const seen = (await b.session.get(path())).body;
    expect(seen.version).toBe(0);
    expect(seen.history).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('Brand A only');
    expect((await rollback(b.session, 1)).status).toBe(404);
  });

  it('gives concurrent saves distinct versions', async () => {
    const { session } = await signUp(api.url);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => put(session, { buttonText: `save ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.map((r) => r.body.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const current = (await session.get(path())).body;
    const last = results.find((r) => r.body.version === 8)!;
    expect(current.configuration).toEqual(last.body.configuration);
  });
});

describe('saving a version with why (POST …/configuration/versions)', () => {
  const save = (s: Session, body: unknown, slug?: string) => s.post(`${path(slug)}/versions`, body);

  it('stores the why with the version and shows it in the history', async () => {
    const { session } = await signUp(api.url);
    const res = await save(session, { configuration: { theme: { primary: '#ff0000' } }, why: '  Match the new brand colours ' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, reason: 'Match the new brand colours', configuration: { theme: { primary: '#ff0000', background: '#ffffff' } } });
    const { history } = (await session.get(path())).body;
    expect(history[0]).toMatchObject({ version: 1, reason: 'Match the new brand colours' });
  });

  it('stores no reason for a blank or absent why', async () => {
    const { session } = await signUp(api.url);
    expect((await save(session, { configuration: { buttonText: 'one' }, why: '   ' })).body.reason).toBeNull();
    expect((await save(session, { configuration: { buttonText: 'two' } })).body.reason).toBeNull();
    const { history } = (await session.get(path())).body;
    expect(history.map((h: { reason: string | null }) => h.reason)).toEqual([null, null]);
  });

  it('numbers its versions in the same sequence as PUT, which still takes the raw settings', async () => {
    const { session } = await signUp(api.url);
    expect((await put(session, { buttonText: 'by PUT' })).body.version).toBe(1);
    expect((await save(session, { configuration: { buttonText: 'by POST' }, why: 'wording' })).body.version).toBe(2);
    expect((await put(session, { buttonText: 'by PUT again' })).body).toMatchObject({ version: 3, configuration: { buttonText: 'by PUT again' } });
    const { history } = (await session.get(path())).body;
    expect(history.map((h: { version: number; reason: string | null }) => [h.version, h.reason])).toEqual([[3, null], [2, 'wording'], [1, null]]);
  });

  it('refuses a why over 500 characters with 422 naming body.why, saving nothing', async () => {
    const { session } = await signUp(api.url);
    const res = await save(session, { configuration: { buttonText: 'x' }, why: 'y'.repeat(501) });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual([expect.objectContaining({ path: 'body.why' })]);
    expect((await session.get(path())).body.version).toBe(0);
  });

  it('refuses a why that is not text with 422 naming body.why', async () => {
    const { session } = await signUp(api.url);
    const res = await save(session, { configuration: { buttonText: 'x' }, why: 42 });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.why']);
  });

  it('names a bad setting by its place in the body, body.configuration.<path>', async () => {
    const { session } = await signUp(api.url);
    const res = await save(session, { configuration: { toleranceMm: 11, theme: { primary: 'red' } }, why: 'too far' }, 'fit-consultation');
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.configuration.theme.primary', 'body.configuration.toleranceMm']);
  });

  it('refuses a body without configuration, and an empty one, with 422', async () => {
    const { session } = await signUp(api.url);
    expect((await save(session, { why: 'nothing' })).body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.configuration']);
    expect((await save(session, { configuration: {} })).status).toBe(422);
    expect((await save(session, { configuration: { buttonText: 'x' }, reason: 'wrong name' })).status).toBe(422);
  });

  it('is refused to a viewer', async () => {
    const { session: admin } = await signUp(api.url);
    const viewer = await teamMember(admin, 'viewer');
    const res = await save(viewer, { configuration: { buttonText: 'x' }, why: 'viewer' });
    expect(res.status).toBe(403);
    expect((await admin.get(path())).body.version).toBe(0);
  });

  it('records the why in the audit log', async () => {
    const { session, user } = await signUp(api.url);
    await save(session, { configuration: { showPrices: false }, why: 'prices change weekly' }, 'frame-finder');
    const rows = await api.deps.orm.em.getConnection().execute(
      "select details from audit_log where customer_id = ? and action = 'app.configuration_changed'",
      [user.customerId],
    );
    expect(rows).toEqual([{ details: expect.objectContaining({ version: 1, reason: 'prices change weekly' }) }]);
  });
});
