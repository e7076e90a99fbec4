// App activation on the real Temporal dev server: the API records the request and starts the
// appActivation workflow, whose activities run against PostgreSQL and Redis. Frame Finder's
// provisioning is made to fail (AI_PROVISION_FAIL_SLUGS) to exercise the compensation.
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { defaultConfiguration } from '../../domain/catalog/app-settings';
import { taskQueues, workflowIds } from '../../temporal.config';
import { activationStateQuery, type AppActivationResult } from '../../workflows/activation/messages';
import { startApi, type TestApi } from '../support/api-server';
import { signUp, type Session } from '../support/http';
import { consume, grant } from '../support/metering';
import { workflowBundlePath } from '../support/paths';
import { startTestWorker, type TestWorker } from '../support/temporal';

const failingSlug = 'frame-finder';

let tw: TestWorker;
let env: TestWorkflowEnvironment;
let orm: MikroORM;
let api: TestApi;

beforeAll(async () => {
  tw = await startTestWorker(taskQueues.activations, { AI_PROVISION_FAIL_SLUGS: failingSlug });
  ({ env, orm } = tw);
  api = await startApi();
});

afterAll(async () => {
  await api.close();
  await tw.stop();
});

interface Brand {
  customerId: string;
  admin: Session;
}

async function brandOn(plan: 'starter' | 'professional'): Promise<Brand> {
  const { session, user } = await signUp(api.url);
  const customerId = user.customerId as string;
  await orm.em.getConnection().execute(
    `insert into customer_billing (customer_id, plan_id, status, updated_at) select ?, id, 'active', now() from billing_plans where lookup_key = ?
     on conflict (customer_id) do update set plan_id = excluded.plan_id`,
    [customerId, plan],
  );
  return { customerId, admin: session };
}

async function activationOf(b: Brand, slug: string) {
  const res = await b.admin.get(`/api/apps/${slug}`);
  expect(res.status).toBe(200);
  return res.body.app.activation as { status: string; activatedAt: string | null; failureReason: string | null };
}

/** Polls GET /api/apps/:slug, as the portal does, for at most 15 s. */
async function waitForStatus(b: Brand, slug: string, status: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const activation = await activationOf(b, slug);
    if (activation.status === status || Date.now() > until) {
      expect(activation.status).toBe(status);
      return activation;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function result(b: Brand, slug: string): Promise<AppActivationResult> {
  return env.client.workflow.getHandle(workflowIds.activation(b.customerId, slug)).result();
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await orm.em.getConnection().execute<{ n: number }[]>(sql, params);
  return row!.n;
}

const auditCount = (b: Brand, action: string, slug: string) =>
  count('select count(*)::int as n from audit_log where customer_id = ? and action = ? and target_id = ?', [b.customerId, action, slug]);

async function widgetKeys(b: Brand) {
  const res = await b.admin.get('/api/api-keys');
  return (res.body.apiKeys as { name: string; appScopes: string[] | null; revokedAt: string | null }[]).filter((k) => k.name === 'widget');
}

/** Runs of one workflow id, from visibility (which lags a little behind the server). */
async function runsOf(workflowId: string, atLeast: number): Promise<number> {
  const until = Date.now() + 10_000;
  for (;;) {
    let n = 0;
    for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n += 1;
    if (n >= atLeast || Date.now() > until) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('POST /api/apps/:slug/activate', () => {
  it('refuses an app the plan does not include with 403 PLAN_UPGRADE_REQUIRED naming the plan, and starts nothing', async () => {
    const b = await brandOn('starter');
    const res = await b.admin.post('/api/apps/virtual-try-on/activate');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'PLAN_UPGRADE_REQUIRED', details: { requiredPlan: 'professional' } });
    expect(res.body.error.message).toMatch(/Professional plan/);
    await expect(env.client.workflow.getHandle(workflowIds.activation(b.customerId, 'virtual-try-on')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await activationOf(b, 'virtual-try-on')).status).toBe('inactive');
  });

  it('answers 404 UNKNOWN_APP for an app that does not exist', async () => {
    const b = await brandOn('professional');
    const res = await b.admin.post('/api/apps/no-such-app/activate');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_APP', details: { field: 'params.slug' } });
  });

  it('shows activating at once, then active, with the default configuration stored and a widget key scoped to the app', async () => {
    const b = await brandOn('professional');
    const res = await b.admin.post('/api/apps/pd-calculator/activate');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ activation: { status: 'activating', workflowId: workflowIds.activation(b.customerId, 'pd-calculator') } });
    const activation = await waitForStatus(b, 'pd-calculator', 'active');
    expect(activation).toMatchObject({ activatedAt: expect.any(String), failureReason: null });
    expect(await result(b, 'pd-calculator')).toEqual({ status: 'active' });

    const config = await b.admin.get('/api/apps/pd-calculator/configuration');
    expect(config.body).toMatchObject({ version: 1, configuration: defaultConfiguration('pd-calculator') });
    expect(config.body.history[0]).toMatchObject({ version: 1, reason: 'defaults at activation', changedBy: null });
    expect(await widgetKeys(b)).toEqual([expect.objectContaining({ appScopes: ['pd-calculator'], revokedAt: null })]);
    expect(await auditCount(b, 'app.provisioned', 'pd-calculator')).toBe(1);
    expect(await count("select count(*)::int as n from notifications where customer_id = ? and kind = 'app.activated' and channel = 'portal'", [b.customerId])).toBe(1);
  });

  it('adds each activated app to the one widget key of the brand', async () => {
    const b = await brandOn('professional');
    await b.admin.post('/api/apps/pd-calculator/activate');
    await b.admin.post('/api/apps/virtual-try-on/activate');
    await waitForStatus(b, 'pd-calculator', 'active');
    await waitForStatus(b, 'virtual-try-on', 'active');
    expect(await widgetKeys(b)).toEqual([expect.objectContaining({ appScopes: ['pd-calculator', 'virtual-try-on'] })]);
  });

  it('compensates a failed provisioning and leaves the app failed with the reason', async () => {
    const b = await brandOn('professional');
    expect((await b.admin.post(`/api/apps/${failingSlug}/activate`)).status).toBe(202);
    const activation = await waitForStatus(b, failingSlug, 'failed');
    expect(activation.failureReason).toMatch(/refused to provision frame-finder/);
    expect(await result(b, failingSlug)).toEqual({ status: 'failed', reason: activation.failureReason });
    expect(await auditCount(b, 'app.provisioned', failingSlug)).toBe(0);
    expect(await auditCount(b, 'app.deprovisioned', failingSlug)).toBe(1);
    expect(await widgetKeys(b)).toEqual([]);
  });

  it('joins a running activation when asked twice at once: one workflow run', async () => {
    const b = await brandOn('professional');
    const [first, second] = await Promise.all([b.admin.post('/api/apps/face-shape-analysis/activate'), b.admin.post('/api/apps/face-shape-analysis/activate')]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.activation.workflowId).toBe(first.body.activation.workflowId);
    await waitForStatus(b, 'face-shape-analysis', 'active');
    await result(b, 'face-shape-analysis');
    expect(await runsOf(first.body.activation.workflowId, 1)).toBe(1);
    expect(await auditCount(b, 'app.provisioned', 'face-shape-analysis')).toBe(1);
  });

  it('answers its state query and replays its recorded history deterministically', async () => {
    const b = await brandOn('professional');
    await b.admin.post('/api/apps/eyewear-recommendations/activate');
    const handle = env.client.workflow.getHandle(workflowIds.activation(b.customerId, 'eyewear-recommendations'));
    await handle.result();
    expect(await handle.query(activationStateQuery)).toMatchObject({ target: 'activate', step: 'active', last: { status: 'active' } });
    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath } }, history, handle.workflowId)).resolves.toBeUndefined();
  });
});

describe('POST /api/apps/:slug/deactivate', () => {
  it('revokes widget access: a key for the app gets 403 APP_NOT_ACTIVE afterwards', async () => {
    const b = await brandOn('professional');
    await grant(api, b.customerId, 100);
    await b.admin.post('/api/apps/pd-calculator/activate');
    await waitForStatus(b, 'pd-calculator', 'active');
    const key = await b.admin.post('/api/api-keys', { name: 'storefront', appScopes: ['pd-calculator'] });
    expect(key.status).toBe(201);
    expect((await consume(api, key.body.secret, { app: 'pd-calculator' })).status).toBe(200);

    const res = await b.admin.post('/api/apps/pd-calculator/deactivate');
    expect(res.status).toBe(202);
    expect(res.body.activation.status).toBe('deactivating');
    await waitForStatus(b, 'pd-calculator', 'inactive');
    const refused = await consume(api, key.body.secret, { app: 'pd-calculator' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('APP_NOT_ACTIVE');
    expect(await widgetKeys(b)).toEqual([expect.objectContaining({ appScopes: [], revokedAt: null })]);
  });

  it('restores the previous configuration on reactivation', async () => {
    const b = await brandOn('professional');
    await b.admin.post('/api/apps/pd-calculator/activate');
    await waitForStatus(b, 'pd-calculator', 'active');
    const saved = await b.admin.request('PUT', '/api/apps/pd-calculator/configuration', { ...defaultConfiguration('pd-calculator'), measurementMethod: 'card' });
    expect(saved.status).toBe(200);
    await b.admin.post('/api/apps/pd-calculator/deactivate');
    await waitForStatus(b, 'pd-calculator', 'inactive');
    await result(b, 'pd-calculator');

    await b.admin.post('/api/apps/pd-calculator/activate');
    await waitForStatus(b, 'pd-calculator', 'active');
    const config = await b.admin.get('/api/apps/pd-calculator/configuration');
    expect(config.body).toMatchObject({ version: 2, configuration: { measurementMethod: 'card' } });
    expect(await widgetKeys(b)).toEqual([expect.objectContaining({ appScopes: ['pd-calculator'] })]);
  });

  // Depending on when the signal lands, the run either finishes the activation first or, if the
  // request came before its first step, only deactivates; either way one run ends inactive.
  it('during an activation, ends inactive in the same run with no widget access left', async () => {
    const b = await brandOn('professional');
    const activate = await b.admin.post('/api/apps/pd-calculator/activate');
    const deactivate = await b.admin.post('/api/apps/pd-calculator/deactivate');
    expect([activate.status, deactivate.status]).toEqual([202, 202]);
    expect(await result(b, 'pd-calculator')).toEqual({ status: 'inactive' });
    expect((await activationOf(b, 'pd-calculator')).status).toBe('inactive');
    expect(await runsOf(activate.body.activation.workflowId, 1)).toBe(1);
    expect((await widgetKeys(b)).flatMap((k) => k.appScopes ?? ['every app'])).toEqual([]);
  });
});
