// Feature flags: an operator rolls a feature or an app out to a share of brands or a list, or
// kills an app; every API process obeys within seconds (pub/sub), and within its periodic reload
// when the message is lost. Each change is audited with the rule before and after.
// App flags touch a real catalog app for every brand, so those tests hold the catalog lock
// exclusively and remove their flag before letting go.
import { randomUUID } from 'node:crypto';
import { demoPassword } from '../../domain/catalog/demo';
import { flagRefreshMs } from '../../api/metering/flag-table';
import { startApi, type TestApi } from '../support/api-server';
import { putOnPlan } from '../support/brand';
import { withCatalogLock } from '../support/catalog-lock';
import { logIn, Session } from '../support/http';
import { consume, meteredBrand, type MeteredBrand } from '../support/metering';
import { waitFor } from '../support/wait';

let api: TestApi;
let second: TestApi;
let op: Session;
let operatorId: string;
const app = 'style-consultation';
const appFlag = `test.kill-${process.pid}`;

beforeAll(async () => {
  [api, second] = await Promise.all([startApi(), startApi()]);
  await Promise.all([api.deps.metering.live.whenReady(), second.deps.metering.live.whenReady()]);
  ({ session: op, userId: operatorId } = await logIn(api.url));
});
afterAll(async () => {
  await api.deps.orm.em.getConnection().execute(`delete from feature_flags where key like 'test.%-${process.pid}%'`);
  await api.deps.metering.live.publishInvalidation({ kind: 'flags' });
  await Promise.all([api.close(), second.close()]);
});

const put = (key: string, body: Record<string, unknown>) => op.put(`/api/operator/flags/${key}`, body);
const features = async (s: Session): Promise<string[]> => (await s.get('/api/features')).body.features;
const removeFlag = async (key: string) => {
  await api.deps.orm.em.getConnection().execute('delete from feature_flags where key = ?', [key]);
  await api.deps.metering.live.publishInvalidation({ kind: 'flags' });
  await Promise.all([api.deps.metering.flags.reload(), second.deps.metering.flags.reload()]);
};

describe('feature flags', () => {
  it('rolls a feature out to a listed brand, then to a percentage that keeps the first brands', async () => {
    const [a, b] = await Promise.all([meteredBrand(api), meteredBrand(api)]);
    const key = `test.feature-${process.pid}`;
    const target = `beta-dashboard-${process.pid}`;
    expect((await put(key, { kind: 'feature', target, percentage: 0, brands: [a.customerId] })).status).toBe(200);
    expect(await features(a.admin)).toContain(target);
    expect(await features(b.admin)).not.toContain(target);
    expect((await put(key, { kind: 'feature', target, percentage: 100, brands: [a.customerId] })).status).toBe(200);
    expect(await features(b.admin)).toContain(target);

    const listed = (await op.get('/api/operator/flags')).body.flags.find((f: { key: string }) => f.key === key);
    expect(listed).toMatchObject({ kind: 'feature', target, percentage: 100, brands: [a.customerId], killed: false, updatedBy: 'operator@varai.test' });
  });

  it('audits a change with the rule before and after, and a repeat not at all', async () => {
    const key = `test.audit-${process.pid}`;
    const body = { kind: 'feature', target: `audited-${process.pid}`, percentage: 10, note: 'first tenth' };
    expect((await put(key, body)).body.changed).toBe(true);
    expect((await put(key, body)).body.changed).toBe(false);
    expect((await put(key, { ...body, percentage: 20 })).body.changed).toBe(true);
    const rows = await api.deps.orm.em.getConnection().execute<{ actor_kind: string; actor_id: string; customer_id: string | null; details: { before: unknown; after: { percentage: number } } }[]>(
      "select actor_kind, actor_id, customer_id, details from audit_log where action = 'feature_flag.updated' and target_type = 'feature_flag' and target_id = ? order by id",
      [key],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor_kind: 'operator', actor_id: operatorId, customer_id: null, details: { before: null, after: { percentage: 10, note: 'first tenth' } } });
    expect(rows[1]!.details).toMatchObject({ before: { percentage: 10 }, after: { percentage: 20 } });
  });

  it.each([
    ['an unknown app', 'test.bad-a', { kind: 'app', target: 'no-such-app', percentage: 0 }, 'body.target'],
    ['an unknown brand', 'test.bad-b', { kind: 'feature', target: 'x', percentage: 0, brands: [randomUUID()] }, 'body.brands.0'],
    ['a percentage over 100', 'test.bad-c', { kind: 'feature', target: 'x', percentage: 101 }, 'body.percentage'],
    ['a key with capitals', 'Test.Bad', { kind: 'feature', target: 'x', percentage: 0 }, 'params.key'],
  ])('refuses %s with 422 naming the field', async (_what, key, body, path) => {
    const res = await put(key, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('refuses brand staff with 403 and anyone without a session with 401', async () => {
    const admin = new Session(api.url);
    await admin.post('/api/auth/login', { email: 'admin@demo.varai.test', password: demoPassword });
    expect((await admin.get('/api/operator/flags')).status).toBe(403);
    expect((await admin.put('/api/operator/flags/x', { kind: 'feature', target: 'x', percentage: 100 })).status).toBe(403);
    expect((await new Session(api.url).get('/api/operator/flags')).status).toBe(401);
  });
});

describe('an app flag, on two API processes', () => {
  let a: MeteredBrand;
  let b: MeteredBrand;
  beforeAll(async () => {
    [a, b] = await Promise.all([meteredBrand(api, { tokens: 100, apps: [app] }), meteredBrand(api, { tokens: 100, apps: [app] })]);
    // On a plan that includes the app, so activation meets the flag, not the plan.
    await putOnPlan(api.deps.orm, a.customerId, 'professional');
  });
  const use = (t: TestApi, brand: MeteredBrand) => consume(t, brand.apiKey, { app });

  it('kills the app on the other process within seconds: 503 APP_DISABLED on /v1, `disabled` in the catalog, and back on when lifted', async () => {
    await withCatalogLock('exclusive', async () => {
      try {
        expect((await use(second, a)).status).toBe(200);
        const start = Date.now();
        expect((await put(appFlag, { kind: 'app', target: app, percentage: 100, killed: true, note: 'upstream incident' })).status).toBe(200);
        const refused = await waitFor(() => use(second, a), (r) => r.status === 503, 5_000);
        const tookMs = Date.now() - start;
        expect(refused.body.error.code).toBe('APP_DISABLED');
        expect(refused.headers.get('retry-after')).toBe('60');
        // Well inside the periodic reload: the pub/sub message did it.
        expect(tookMs).toBeLessThan(flagRefreshMs / 2);
        const run = await fetch(`${second.url}/v1/apps/${app}/run`, {
          method: 'POST',
          headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ input: { faceShape: 'round' } }),
        });
        expect(run.status).toBe(503);
        expect(((await run.json()) as { error: { code: string } }).error.code).toBe('APP_DISABLED');
        const seen = (await a.admin.get('/api/apps')).body.apps.find((x: { slug: string }) => x.slug === app);
        expect(seen.availability).toBe('disabled');
        expect((await a.admin.post(`/api/apps/${app}/activate`)).body.error.code).toBe('APP_DISABLED');
        const config = await fetch(`${second.url}/v1/widget-config/${app}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
        expect(config.status).toBe(503);

        expect((await put(appFlag, { kind: 'app', target: app, percentage: 100, killed: false })).status).toBe(200);
        await waitFor(() => use(second, a), (r) => r.status === 200, 5_000);
      } finally {
        await removeFlag(appFlag);
      }
    });
  });

  it('lets only the brands of its rollout use the app: the others get 403 APP_NOT_RELEASED', async () => {
    await withCatalogLock('exclusive', async () => {
      try {
        expect((await put(appFlag, { kind: 'app', target: app, percentage: 0, brands: [a.customerId] })).status).toBe(200);
        const refused = await waitFor(() => use(second, b), (r) => r.status === 403, 5_000);
        expect(refused.body.error.code).toBe('APP_NOT_RELEASED');
        expect((await use(second, a)).status).toBe(200);
        const seen = (await b.admin.get('/api/apps')).body.apps.find((x: { slug: string }) => x.slug === app);
        expect(seen.availability).toBe('not_released');
      } finally {
        await removeFlag(appFlag);
      }
    });
  });

  it('reaches a process that missed the message through its periodic reload', async () => {
    await withCatalogLock('exclusive', async () => {
      try {
        // Written behind the API's back: no invalidation is published.
        await api.deps.orm.em.getConnection().execute("insert into feature_flags (key, kind, target, percentage, killed) values (?, 'app', ?, 100, true)", [appFlag, app]);
        // Asked of the second process's own table, not by consuming: every allowed use would cost tokens.
        const gate = await waitFor(() => second.deps.metering.flags.appGate(app, a.customerId), (g) => g === 'killed', flagRefreshMs + 5_000);
        expect(gate).toBe('killed');
        expect((await use(second, a)).body.error.code).toBe('APP_DISABLED');
      } finally {
        await removeFlag(appFlag);
      }
    });
  }, 30_000);
});

describe('two operators saving one new flag at once', () => {
  it('creates it once and answers both without a 500', async () => {
    const key = `test.race-${process.pid}`;
    const body = (percentage: number) => ({ kind: 'feature', target: `race-${process.pid}`, percentage });
    const answers = await Promise.all([put(key, body(10)), put(key, body(30))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const rows = await api.deps.orm.em.getConnection().execute("select count(*)::int as n from audit_log where action = 'feature_flag.updated' and target_id = ?", [key]);
    expect(rows[0]!.n).toBe(2);
  });
});
